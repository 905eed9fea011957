package io.groupwire.deploy.fault;

import io.groupwire.core.testing.RedisCluster;
import java.io.IOException;
import java.util.Map;

/**
 * A three-master, three-replica Redis Cluster on loopback; its fault is the death ({@code kill -9})
 * of a master, the promotion of its replica, and the old master's return as the new one's replica.
 * The gateway answers 202 only once a replica has the message ({@code WAIT 1}): with asynchronous
 * replication alone, a failover may drop what the dead master had acknowledged.
 */
final class ClusterRedis implements RedisTopology {
    private final RedisCluster cluster;
    private String fault = "master kill -9 + failover";

    ClusterRedis() throws IOException {
        this.cluster = RedisCluster.start();
    }

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public Map<String, String> env() {
        return Map.of("GROUPWIRE_REDIS_CLUSTER_NODES", cluster.seeds(),
                "GROUPWIRE_WAIT_REPLICAS", "1",
                "GROUPWIRE_WAIT_TIMEOUT", "500ms");
    }

    @Override
    public String faultName() {
        return fault;
    }

    @Override
    public void inflictFault() throws Exception {
        int victim = cluster.masters().get(0);
        long t0 = System.nanoTime();
        int promoted = cluster.failover(victim);
        long failoverMs = (System.nanoTime() - t0) / 1_000_000;
        // until the old master is back as a replica, WAIT 1 refuses the promoted master's shards
        cluster.restart(victim);
        long rejoinMs = (System.nanoTime() - t0) / 1_000_000 - failoverMs;
        fault = "master " + victim + " kill -9, replica " + promoted + " promoted in " + failoverMs
                + " ms, old master back as its replica " + rejoinMs + " ms later";
    }

    @Override
    public void close() {
        cluster.close();
    }
}
