/**
 * The rate pacer: drains the outboxes it holds under each provider's global token bucket,
 * pauses a channel when its provider asks, retries with back-off until the TTL, and records
 * every outcome. The entry point is {@code io.groupwire.pacer.PacerService}.
 */
package io.groupwire.pacer;
