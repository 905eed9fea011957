/**
 * Reliable, leased queues in Redis (the mailboxes and the outboxes): claiming into an in-flight
 * list, acknowledging, recovering a dead owner's claims, and sharing the queues among the live
 * instances of a role.
 */
package io.groupwire.core.queue;
