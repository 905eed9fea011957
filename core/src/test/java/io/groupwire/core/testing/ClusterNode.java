package io.groupwire.core.testing;

import io.groupwire.core.redis.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} of a test {@link RedisCluster}: its process and a plain (non-cluster)
 * client that talks to this node only, for the admin commands that must reach a given node
 * (CLUSTER MEET, ADDSLOTS, REPLICATE, INFO, FLUSHALL).
 */
public final class ClusterNode implements AutoCloseable {
    private final RedisProcess process;
    private final Redis client;

    ClusterNode(Vertx vertx, RedisProcess process) {
        this.process = process;
        // one connection is plenty for admin traffic, and a small pool notices a restart sooner
        this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(process.url()).setMaxPoolSize(2));
    }

    public int port() {
        return process.port();
    }

    public String url() {
        return process.url();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends one command to this node and waits for the answer (at most 10 s). */
    public Response call(Command command, Object... args) {
        Request req = Request.cmd(command);
        for (Object a : args) {
            req.arg(a.toString());
        }
        try {
            return client.send(req).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(command + " on " + url() + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(command + " on " + url() + " failed", e);
        }
    }

    /** This node's id in the cluster. */
    public String id() {
        return call(Command.CLUSTER, "MYID").toString();
    }

    /** The fields of {@code CLUSTER INFO}. */
    public Map<String, String> clusterInfo() {
        return fields(call(Command.CLUSTER, "INFO").toString());
    }

    /** The fields of {@code INFO replication}. */
    public Map<String, String> replication() {
        return fields(call(Command.INFO, "replication").toString());
    }

    /** The raw {@code CLUSTER NODES} text as this node sees it. */
    public String nodes() {
        return call(Command.CLUSTER, "NODES").toString();
    }

    boolean clusterOk() {
        return "ok".equals(clusterInfo().get("cluster_state"));
    }

    void kill() {
        process.kill();
    }

    void restart() throws IOException {
        process.restart();
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
        process.close();
    }
}
