package io.groupwire.deploy.fault;

import java.util.Map;

/** The Redis a fault run uses, and the one fault it knows how to inflict on it. */
interface RedisTopology extends AutoCloseable {
    /** A short name for reports: {@code single} or {@code cluster}. */
    String name();

    /** The variables that point every service at this Redis. */
    Map<String, String> env();

    /** Name of the Redis fault, for the report (e.g. "restart from AOF", "master failover"). */
    String faultName();

    /** Inflicts the fault and returns once Redis serves again. */
    void inflictFault() throws Exception;

    @Override
    void close();
}
