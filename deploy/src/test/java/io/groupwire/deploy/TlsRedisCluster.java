package io.groupwire.deploy;

import io.groupwire.core.redis.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster over TLS for tests: three masters of Debian's redis-server (see {@link TlsRedis})
 * with a password, serving clients and each other over TLS ({@code tls-cluster}); each keeps a
 * plaintext port on loopback, used only to form the cluster. Clients that connect over TLS are told
 * the TLS ports of the other nodes.
 */
final class TlsRedisCluster implements AutoCloseable {
    private static final int MASTERS = 3;
    private static final int SLOTS = 16384;

    private final Vertx vertx = Vertx.vertx();
    private final List<RedisProcess> nodes = new ArrayList<>();
    private final List<Redis> admins = new ArrayList<>();
    private final List<Integer> tlsPorts = new ArrayList<>();
    private final List<Integer> busPorts = new ArrayList<>();
    private final String password;
    private final Path caFile;

    private TlsRedisCluster(String password, Path caFile) {
        this.password = password;
        this.caFile = caFile;
    }

    static TlsRedisCluster start(Path dir, String password) throws Exception {
        Path binary = TlsRedis.binary();
        TlsRedisCluster cluster = new TlsRedisCluster(password, TlsRedis.certificates(dir));
        try {
            for (int i = 0; i < MASTERS; i++) {
                int tlsPort = RedisProcess.freePort();
                int busPort = RedisProcess.freePort();
                List<String> args = new ArrayList<>(TlsRedis.tlsArgs(dir, tlsPort));
                args.addAll(List.of("--tls-cluster", "yes", "--tls-replication", "yes", "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                        "--cluster-port", Integer.toString(busPort), "--masterauth", password));
                RedisProcess node = RedisProcess.start(binary, 0, dir.resolve("node" + i), args, password);
                cluster.nodes.add(node);
                cluster.admins.add(Redis.createClient(cluster.vertx,
                        new RedisOptions().setConnectionString(node.url()).setMaxPoolSize(1)));
                cluster.tlsPorts.add(tlsPort);
                cluster.busPorts.add(busPort);
            }
            cluster.form();
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    private String call(int node, Command command, Object... args) throws Exception {
        Request req = Request.cmd(command);
        for (Object a : args) {
            req.arg(a.toString());
        }
        return admins.get(node).send(req).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
    }

    private void form() throws Exception {
        for (int i = 1; i < MASTERS; i++) {
            // with tls-cluster a node's address is its TLS port, and its bus port is the one it was given
            call(0, Command.CLUSTER, "MEET", "127.0.0.1", tlsPorts.get(i), busPorts.get(i));
        }
        for (int m = 0; m < MASTERS; m++) {
            call(m, Command.CLUSTER, "ADDSLOTSRANGE", m * SLOTS / MASTERS, (m + 1) * SLOTS / MASTERS - 1);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        for (int m = 0; m < MASTERS; m++) {
            while (!call(m, Command.CLUSTER, "INFO").contains("cluster_state:ok")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the TLS cluster did not form: " + call(m, Command.CLUSTER, "INFO"));
                }
                Thread.sleep(100);
            }
        }
    }

    /** The seeds for {@code GROUPWIRE_REDIS_CLUSTER_NODES}: TLS, with the password. */
    String seeds() {
        String credentials = "default:" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
        return tlsPorts.stream().map(p -> "rediss://" + credentials + "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    Path caFile() {
        return caFile;
    }

    @Override
    public void close() {
        admins.forEach(Redis::close);
        nodes.forEach(RedisProcess::close);
        vertx.close();
    }
}
