package io.groupwire.core.metrics;

/**
 * Metric names shared by all services (Micrometer names; Prometheus renders dots as underscores
 * and adds {@code _total} to counters and {@code _seconds} to timers).
 */
public final class MetricNames {
    /** Timer, tag channel: accept to provider acceptance. Prometheus: groupwire_delivery_latency_seconds. */
    public static final String DELIVERY_LATENCY = "groupwire.delivery.latency";
    /** Counter: messages the gateway stored. */
    public static final String MESSAGES_ACCEPTED = "groupwire.messages.accepted";
    /** Counter, tag reason: requests the gateway refused (validation, auth, back-pressure). */
    public static final String MESSAGES_REFUSED = "groupwire.messages.refused";
    /** Counter: messages the transport dropped for being older than the TTL. */
    public static final String MESSAGES_EXPIRED = "groupwire.messages.expired";
    /** Counter: messages the transport fanned out. */
    public static final String MESSAGES_FANNED_OUT = "groupwire.messages.fanned.out";
    /** Counter, tag channel: deliveries written to outboxes. */
    public static final String DELIVERIES_QUEUED = "groupwire.deliveries.queued";
    /** Counter, tag channel: deliveries a provider accepted. */
    public static final String DELIVERIES_DELIVERED = "groupwire.deliveries.delivered";
    /** Counter, tags channel, outcome, reason: every provider attempt. */
    public static final String DELIVERY_ATTEMPTS = "groupwire.delivery.attempts";
    /** Counter, tag channel: deliveries moved to the dead-letter list (attempts exhausted, or unreadable). */
    public static final String DELIVERIES_DEAD_LETTERED = "groupwire.deliveries.dead.lettered";
    /** Timer, tags operation and status: the gateway's HTTP requests (a 503 is back-pressure or a Redis outage). */
    public static final String GATEWAY_REQUESTS = "groupwire.gateway.requests";
    /** Gauge, tag queue (mailbox or a channel): seconds the oldest message or delivery waiting in a queue this instance owns has waited. */
    public static final String OLDEST_WAITING_AGE = "groupwire.queue.oldest.age.seconds";
    /** Gauge, tag channel (the console's): 1 while the channel's provider asked every pacer to wait, else 0. */
    public static final String PROVIDER_PAUSED = "groupwire.provider.paused";
    /** Gauge (the console's): Redis's used_memory, in bytes, from INFO memory. */
    public static final String REDIS_USED_MEMORY = "groupwire.redis.used.memory.bytes";
    /** Gauge (the console's): Redis's maxmemory, in bytes (0: no limit). */
    public static final String REDIS_MAX_MEMORY = "groupwire.redis.maxmemory.bytes";
    /** Counter, tag channel: deliveries the pacer dropped for being older than the TTL. */
    public static final String DELIVERIES_EXPIRED = "groupwire.deliveries.expired";
    /** Counter, tag channel: deliveries found mid-send after a crash (the ambiguous window). */
    public static final String DELIVERIES_AMBIGUOUS = "groupwire.deliveries.ambiguous";
    /** Counter, tag stage (gateway, transport, pacer): duplicates that bookkeeping suppressed. */
    public static final String DUPLICATES_SUPPRESSED = "groupwire.duplicates.suppressed";
    /** Counter, tag channel: devices or phones unregistered after a dead-destination answer. */
    public static final String DESTINATIONS_REMOVED = "groupwire.destinations.removed";
    /** Gauge: messages waiting in all mailboxes. */
    public static final String MAILBOX_DEPTH = "groupwire.mailbox.depth";
    /** Gauge: messages claimed by the transport and not yet acknowledged. */
    public static final String MAILBOX_INFLIGHT = "groupwire.mailbox.inflight";
    /** Gauge, tag channel: deliveries waiting in outboxes. */
    public static final String OUTBOX_DEPTH = "groupwire.outbox.depth";
    /** Gauge, tag channel: deliveries waiting for a retry. */
    public static final String RETRY_DEPTH = "groupwire.retry.depth";
    /** Counter, tag channel: times the pacer waited for tokens. */
    public static final String PACER_THROTTLED = "groupwire.pacer.throttled";
    /**
     * Gauge, tag channel: deliveries this pacer instance has marked {@code sending} (or asked Redis
     * to) whose outcome is not recorded yet: what a crash at this moment would leave ambiguous.
     */
    public static final String PACER_SENDS_IN_FLIGHT = "groupwire.pacer.sends.in.flight";
    /** Timer, tag channel: provider request duration. */
    public static final String PROVIDER_REQUEST = "groupwire.provider.request";

    private MetricNames() {
    }
}
