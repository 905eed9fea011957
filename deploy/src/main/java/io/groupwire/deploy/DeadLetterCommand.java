package io.groupwire.deploy;

import io.groupwire.core.config.Env;
import io.groupwire.core.deadletter.DeadLetters;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.RedisSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code groupwire.jar deadletters list|count|replay [--queue mailbox|apns|fcm|sms] [--max N]}: what an
 * operator does with dead letters, against the Redis the environment names. {@code list} shows
 * the entries (oldest first per shard), {@code count} how many each queue holds, {@code replay}
 * puts up to N per shard back at the head of their queue (deliveries start their attempts afresh).
 */
final class DeadLetterCommand {
    private DeadLetterCommand() {
    }

    static int run(List<String> args, Env env, PrintStream out, PrintStream err) {
        if (args.isEmpty() || !List.of("list", "count", "replay").contains(args.get(0))) {
            err.println("usage: groupwire.jar deadletters list|count|replay [--queue mailbox|apns|fcm|sms] [--max N]");
            return 2;
        }
        String action = args.get(0);
        String queue = null;
        int max = 100;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--queue") && i + 1 < args.size()) {
                queue = args.get(++i);
            } else if (a.equals("--max") && i + 1 < args.size()) {
                try {
                    max = Integer.parseInt(args.get(++i));
                } catch (NumberFormatException e) {
                    max = -1;
                }
                if (max < 1 || max > 100_000) {
                    err.println("--max takes a number from 1 to 100000");
                    return 2;
                }
            } else {
                err.println("unknown argument " + a);
                return 2;
            }
        }
        if (queue != null && !List.of("mailbox", "apns", "fcm", "sms").contains(queue)) {
            err.println("--queue takes mailbox, apns, fcm or sms");
            return 2;
        }
        RedisSettings settings = RedisSettings.fromEnv(env);
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, settings.toOptions());
        try {
            DeadLetters dl = new DeadLetters(redis, settings.shards());
            List<String> queues = queue == null ? List.of("mailbox", "apns", "fcm", "sms") : List.of(queue);
            for (String q : queues) {
                Channel channel = q.equals("mailbox") ? null : Channel.fromId(q);
                switch (action) {
                    case "count" -> out.printf("%-8s %d%n", q, await(dl.count(channel)));
                    case "replay" -> out.printf("%-8s %d replayed%n", q, await(dl.replay(channel, max)));
                    default -> {
                        for (DeadLetters.Entry e : await(dl.list(channel, max))) {
                            out.printf("%s shard %d #%d %s%n", e.queue(), e.shard(), e.index(), e.entry());
                        }
                    }
                }
            }
            return 0;
        } catch (Exception e) {
            err.println("deadletters: " + e.getMessage() + " (Redis " + settings.describe() + ")");
            return 1;
        } finally {
            redis.close();
            vertx.close();
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
