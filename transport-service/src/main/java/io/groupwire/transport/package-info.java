/**
 * The transport service: claims messages from the mailbox shards it holds, drops those older
 * than the TTL, resolves each group's route and fans the rest out into the outboxes exactly
 * once. The entry point is {@code io.groupwire.transport.TransportService}.
 */
package io.groupwire.transport;
