/**
 * Dead letters: the mailbox entries and deliveries that failed too often, kept per shard until
 * an operator lists, counts or replays them.
 */
package io.groupwire.core.deadletter;
