package io.groupwire.core.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends many independent commands in as few round trips as the deployment allows: one pipelined
 * batch on a single server, concurrent sends on a cluster (where a batch may not span slots and the
 * client pipelines per node anyway).
 */
public final class Pipeline {
    private final Redis redis;
    private final boolean cluster;

    public Pipeline(Redis redis, boolean cluster) {
        this.redis = redis;
        this.cluster = cluster;
    }

    public Redis redis() {
        return redis;
    }

    /** Runs the requests; the answers come back in request order. */
    public Future<List<Response>> run(List<Request> requests) {
        if (requests.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        if (!cluster) {
            return redis.batch(requests);
        }
        List<Future<Response>> futures = new ArrayList<>(requests.size());
        for (Request r : requests) {
            futures.add(redis.send(r));
        }
        return Future.all(futures).map(cf -> {
            List<Response> out = new ArrayList<>(futures.size());
            for (Future<Response> f : futures) {
                out.add(f.result());
            }
            return out;
        });
    }
}
