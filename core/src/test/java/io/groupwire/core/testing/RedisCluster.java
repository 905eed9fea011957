package io.groupwire.core.testing;

import io.groupwire.core.redis.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for tests: three masters and three replicas, six {@link RedisProcess}es on
 * loopback, formed with CLUSTER MEET, ADDSLOTS and REPLICATE (no redis-cli needed). It can kill a
 * master and wait for its replica to take over ({@link #failover}), and bring the killed node back
 * as a replica ({@link #restart}). Nodes are numbered 0 to 5; 0, 1 and 2 start as masters of the
 * slot ranges 0-5460, 5461-10922 and 10923-16383, and node {@code i + 3} replicates node {@code i}.
 */
public final class RedisCluster implements AutoCloseable {
    public static final int MASTERS = 3;
    private static final int SLOTS = 16384;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();
    private final List<ClusterNode> nodes = new ArrayList<>();

    private RedisCluster() {
    }

    /**
     * One node on a free port. Its cluster bus listens on the port plus 10,000, which nobody checked
     * was free: on a busy machine that collides now and then, so a node that cannot listen is
     * started again on another port.
     */
    private static RedisProcess startNode(Path dir, String password) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000", "--cluster-replica-validity-factor", "0"));
        if (password != null) {
            args.addAll(List.of("--masterauth", password));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return RedisServers.start(clusterPort(), dir, args, password);
            } catch (IOException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    /** Starts six nodes and forms the cluster; returns once every node says {@code cluster_state:ok} and replicas are in sync. */
    public static RedisCluster start() throws IOException {
        return start(null);
    }

    /**
     * Like {@link #start()}, every node requiring {@code password} of Redis's default user (null:
     * none), replicas giving it to their masters; {@link #seeds} carry it.
     */
    public static RedisCluster start(String password) throws IOException {
        RedisCluster cluster = new RedisCluster();
        try {
            Path root = Files.createTempDirectory("groupwire-cluster");
            for (int i = 0; i < 2 * MASTERS; i++) {
                // a short node timeout keeps failovers in tests to a few seconds; validity factor 0
                // lets a replica take over however long its link was down
                cluster.nodes.add(new ClusterNode(cluster.vertx, startNode(root.resolve("node" + i), password)));
            }
            cluster.form();
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * A free port whose cluster bus port (10000 above it) is free too: on a busy machine a random
     * free port's bus port is often some connection's local port, and the node could not start.
     */
    private static int clusterPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = RedisProcess.freePort();
            if (port + 10_000 <= 65_535 && free(port + 10_000)) {
                return port;
            }
        }
        throw new IOException("no free port with a free cluster bus port found");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void form() {
        ClusterNode first = nodes.get(0);
        for (ClusterNode n : nodes.subList(1, nodes.size())) {
            first.call(Command.CLUSTER, "MEET", "127.0.0.1", n.port());
        }
        until(() -> nodes.stream().allMatch(n -> knowsAll(n.nodes())), FORM_TIMEOUT, "all nodes met");
        for (int m = 0; m < MASTERS; m++) {
            int from = m * SLOTS / MASTERS;
            int to = (m + 1) * SLOTS / MASTERS;
            // ADDSLOTSRANGE is Redis 7 only; chunks keep each command small
            for (int chunk = from; chunk < to; chunk += 1000) {
                List<Object> args = new ArrayList<>(List.of("ADDSLOTS"));
                for (int s = chunk; s < Math.min(to, chunk + 1000); s++) {
                    args.add(s);
                }
                nodes.get(m).call(Command.CLUSTER, args.toArray());
            }
        }
        for (int m = 0; m < MASTERS; m++) {
            String masterId = nodes.get(m).id();
            ClusterNode replica = nodes.get(m + MASTERS);
            // the replica must have learnt of the master's slots before it accepts to follow it
            until(() -> {
                try {
                    replica.call(Command.CLUSTER, "REPLICATE", masterId);
                    return true;
                } catch (IllegalStateException e) {
                    return false;
                }
            }, FORM_TIMEOUT, "node " + (m + MASTERS) + " replicating node " + m);
        }
        until(this::healthy, FORM_TIMEOUT, "cluster_state:ok everywhere and replicas in sync");
    }

    private static boolean knowsAll(String clusterNodes) {
        List<String> lines = clusterNodes.lines().filter(l -> !l.isBlank()).toList();
        return lines.size() == 2 * MASTERS && lines.stream().noneMatch(l -> l.contains("handshake"));
    }

    /** Every live node says ok, and every live master has a replica whose link is up. */
    private boolean healthy() {
        for (ClusterNode n : alive()) {
            if (!n.clusterOk()) {
                return false;
            }
            var repl = n.replication();
            if ("slave".equals(repl.get("role")) && !"up".equals(repl.get("master_link_status"))) {
                return false;
            }
        }
        return masters().size() == MASTERS;
    }

    private List<ClusterNode> alive() {
        return nodes.stream().filter(ClusterNode::isAlive).toList();
    }

    /** The comma-separated {@code redis://host:port} of every node, for {@code GROUPWIRE_REDIS_CLUSTER_NODES}. */
    public String seeds() {
        return nodes.stream().map(ClusterNode::url).collect(Collectors.joining(","));
    }

    public ClusterNode node(int index) {
        return nodes.get(index);
    }

    /** Indexes of the live nodes that are masters now. */
    public List<Integer> masters() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).isAlive() && "master".equals(nodes.get(i).replication().get("role"))) {
                out.add(i);
            }
        }
        return out;
    }

    /** The slot of a key, as the cluster computes it. */
    public int slot(String key) {
        return alive().get(0).call(Command.CLUSTER, "KEYSLOT", key).toInteger();
    }

    /** The index of the node that serves {@code slot} now, read from CLUSTER NODES. */
    public int masterOf(int slot) {
        for (String line : alive().get(0).nodes().lines().toList()) {
            String[] f = line.split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] range = f[i].split("-");
                int lo = Integer.parseInt(range[0]);
                int hi = range.length == 2 ? Integer.parseInt(range[1]) : lo;
                if (slot >= lo && slot <= hi) {
                    return indexOfPort(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))));
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    private int indexOfPort(int port) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).port() == port) {
                return i;
            }
        }
        throw new IllegalStateException("no node on port " + port);
    }

    /**
     * Kills master {@code index} with SIGKILL and waits until its replica has taken over and every
     * live node says {@code cluster_state:ok} again.
     *
     * @return the index of the promoted replica
     */
    public int failover(int index) {
        ClusterNode master = nodes.get(index);
        if (!master.isAlive() || !"master".equals(master.replication().get("role"))) {
            throw new IllegalArgumentException("node " + index + " is not a live master");
        }
        int replica = replicaOf(index);
        master.kill();
        ClusterNode promoted = nodes.get(replica);
        until(() -> "master".equals(promoted.replication().get("role")) && alive().stream().allMatch(ClusterNode::clusterOk),
                FORM_TIMEOUT, "node " + replica + " promoted after node " + index + " died");
        return replica;
    }

    /** The index of a live replica of master {@code index}. */
    public int replicaOf(int index) {
        int port = nodes.get(index).port();
        for (int i = 0; i < nodes.size(); i++) {
            if (i != index && nodes.get(i).isAlive() && Integer.toString(port).equals(nodes.get(i).replication().get("master_port"))) {
                return i;
            }
        }
        throw new IllegalStateException("node " + index + " has no live replica");
    }

    /** Kills a node with SIGKILL and returns at once (a replica's death changes nothing else; see {@link #failover} for a master's). */
    public void kill(int index) {
        nodes.get(index).kill();
    }

    /** Restarts a killed node on its data directory; it rejoins as a replica. Returns when it is in sync. */
    public void restart(int index) throws IOException {
        ClusterNode node = nodes.get(index);
        node.restart();
        until(() -> {
            var repl = node.replication();
            return "slave".equals(repl.get("role")) && "up".equals(repl.get("master_link_status")) && healthy();
        }, FORM_TIMEOUT, "node " + index + " back as a replica");
    }

    /** Empties every master (their replicas follow); call before each test. */
    public void flushAll() {
        for (int i : masters()) {
            nodes.get(i).call(Command.FLUSHALL);
        }
    }

    static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // a node still starting or just killed; ask again
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
        throw new IllegalStateException("not reached in " + timeout.toSeconds() + " s: " + what, last);
    }

    @Override
    public void close() {
        nodes.forEach(ClusterNode::close);
        vertx.close();
    }
}
