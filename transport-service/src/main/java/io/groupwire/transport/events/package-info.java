/**
 * The events role: the consumer groups that read the shards' event streams at their own pace, the
 * notifier (a like becomes one push notification to the message's author) and the counters (like
 * counts in the history), with claims of a dead consumer's entries, dead letters and lag.
 */
package io.groupwire.transport.events;
