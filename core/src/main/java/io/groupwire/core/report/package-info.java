/**
 * Instances report themselves through Redis, Sidekiq-style: each gateway, transport and pacer writes
 * a heartbeat card and its last second's figures (counts and HdrHistogram latency intervals) under the
 * {@code {report}} hash tag, and the console reads and merges them.
 */
package io.groupwire.core.report;
