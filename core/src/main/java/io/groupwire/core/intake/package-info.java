/**
 * Accepting messages into their group's mailbox: membership, source_guid idempotency and
 * high-water checks in one atomic script, committed in groups per shard.
 */
package io.groupwire.core.intake;
