package io.groupwire.core.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Lua script from core's resources, run with EVALSHA and, when the server does not know it yet
 * (first use, restart, failover), with EVAL. Keys are always passed as KEYS so that Redis Cluster
 * routes the call to the slot that owns them.
 *
 * <p>Each script has one typed class named for it (for example {@code EnqueueScript} for
 * {@code enqueue.lua}) that alone builds its KEYS and ARGV from typed parameters and decodes its
 * reply; the script names the same layout in locals at its top.
 */
public final class LuaScript {
    /** How long past its WAIT timeout a script-and-WAIT batch may take to answer before it counts as lost. */
    private static final long ANSWER_MARGIN_MILLIS = 2_000;
    private final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /** Loads {@code io/groupwire/core/lua/NAME.lua} from the class path. */
    public static LuaScript load(String name) {
        String path = "/io/groupwire/core/lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + path);
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public Future<Response> run(Redis redis, List<String> keys, List<String> args) {
        return run(redis::send, keys, args);
    }

    /**
     * Runs the script, then {@code followUp} right behind it on the same connection (WAIT counts
     * the writes of its own connection). A pipelined batch does that on a single server and on a
     * cluster alike: the cluster client sends a batch to the one node that owns its keys, whereas
     * a lone keyless WAIT would go to a random master.
     *
     * @return the script's answer and the follow-up's
     */
    public Future<List<Response>> runThen(Redis redis, List<String> keys, List<String> args, Request followUp) {
        return redis.batch(List.of(request(Command.EVALSHA, sha, keys, args), followUp)).recover(err -> {
            // a failed batch reports "ERR [index] NOSCRIPT ...", not the bare error
            String msg = err.getMessage();
            if (msg != null && msg.contains("NOSCRIPT")) {
                return redis.batch(List.of(request(Command.EVAL, source, keys, args), followUp));
            }
            return Future.failedFuture(err);
        });
    }

    /**
     * Runs the script and, when {@code replicas} is above 0, waits (Redis {@code WAIT}, at most
     * {@code timeoutMillis}) until that many replicas have its writes; fails with
     * {@link NotReplicatedException} when fewer acknowledged in time, and with a
     * {@link java.util.concurrent.TimeoutException} when the batch has not answered two seconds after
     * that. The script's writes stay on the primary either way: callers must make a repeat of the
     * call safe.
     */
    public Future<Response> runReplicated(Redis redis, List<String> keys, List<String> args, int replicas,
                                          long timeoutMillis) {
        if (replicas <= 0) {
            return run(redis, keys, args);
        }
        // bounded: the Vert.x client can lose a batch's answer when its connection dies under it,
        // and a caller that waits for ever stalls its queue
        return runThen(redis, keys, args, Request.cmd(Command.WAIT).arg(replicas).arg(timeoutMillis))
                .recover(err -> Future.failedFuture(demoted(err) ? NotReplicatedException.onReplica() : err))
                .timeout(timeoutMillis + ANSWER_MARGIN_MILLIS, TimeUnit.MILLISECONDS)
                .compose(answers -> {
                    int acks = answers.get(1).toInteger();
                    return acks >= replicas ? Future.succeededFuture(answers.get(0))
                            : Future.failedFuture(new NotReplicatedException(acks, replicas));
                });
    }

    /**
     * The script ran (it wrote nothing, or Redis would have refused it as READONLY) but WAIT was
     * refused because the node is a replica now: a failover demoted it while the client still took
     * it for the primary. Whether anything is replicated is unknown, which is what
     * {@link NotReplicatedException} tells callers; a failed script ({@code [0]}) stays its own error.
     */
    private static boolean demoted(Throwable err) {
        String msg = err.getMessage();
        return msg != null && msg.contains("WAIT cannot be used with replica") && !msg.contains("[0]");
    }

    private Future<Response> run(Function<Request, Future<Response>> send, List<String> keys, List<String> args) {
        return send.apply(request(Command.EVALSHA, sha, keys, args)).recover(err -> {
            String msg = err.getMessage();
            if (msg != null && msg.startsWith("NOSCRIPT")) {
                return send.apply(request(Command.EVAL, source, keys, args));
            }
            return Future.failedFuture(err);
        });
    }

    private static Request request(Command cmd, String first, List<String> keys, List<String> args) {
        Request req = Request.cmd(cmd).arg(first).arg(keys.size());
        for (String k : keys) {
            req.arg(k);
        }
        for (String a : args) {
            req.arg(a);
        }
        return req;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
