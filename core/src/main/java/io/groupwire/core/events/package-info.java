/**
 * The per-shard event streams (Redis Streams, hash-tagged with their shard) and what their
 * consumer groups need: reading, claiming a dead consumer's entries, dead-lettering, lag, and the
 * scripts with which the counters and the notifier apply an entry and acknowledge it atomically.
 */
package io.groupwire.core.events;
