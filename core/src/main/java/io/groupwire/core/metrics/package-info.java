/**
 * Metric names shared by all services, each service's Prometheus registry, and the
 * {@code /health} and {@code /metrics} endpoints every service serves.
 */
package io.groupwire.core.metrics;
