package io.groupwire.console;

import io.groupwire.core.deadletter.DeadLetters;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.AddressMask;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.message.Message;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dead letters in the console: a queue's list page by page, one entry inspected, and replays of
 * chosen entries or of all, through core's {@link DeadLetters} like the {@code deadletters} command.
 * The page names an entry by its shard and a digest of it ({@code ref}), never by its content, so
 * that no address travels to the browser; addresses are masked wherever an entry is shown.
 */
final class DeadLetterRoutes {
    private static final int MAX_PAGE = 100;
    /** Replaying everything goes per shard in chunks of this many, as the command's --max does. */
    private static final int REPLAY_ALL_PER_SHARD = 100_000;

    private final DeadLetters deadLetters;

    DeadLetterRoutes(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    void mount(Router api) {
        api.get("/api/deadletters/:queue").handler(this::list);
        api.get("/api/deadletters/:queue/:shard/:ref").handler(this::inspect);
        api.post("/api/deadletters/:queue/replay").handler(this::replay);
    }

    private void list(RoutingContext ctx) {
        Channel channel;
        try {
            channel = channel(ctx.pathParam("queue"));
        } catch (IllegalArgumentException e) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        long offset = number(ctx.queryParams().get("offset"), 0);
        int limit = (int) Math.min(MAX_PAGE, Math.max(1, number(ctx.queryParams().get("limit"), 20)));
        deadLetters.page(channel, offset, limit).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            JsonArray entries = new JsonArray();
            for (DeadLetters.Entry e : ar.result().entries()) {
                entries.add(summary(e));
            }
            ctx.json(new JsonObject().put("queue", ctx.pathParam("queue")).put("total", ar.result().total())
                    .put("offset", offset).put("limit", limit).put("entries", entries));
        });
    }

    private void inspect(RoutingContext ctx) {
        find(ctx).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result() == null) {
                ctx.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "no such dead letter (replayed already?)").encode());
            } else {
                ctx.json(summary(ar.result()).put("text", text(ar.result())));
            }
        });
    }

    /** Body: {@code {"all": true}} or {@code {"items": [{"shard": 3, "ref": "..."}]}}. */
    private void replay(RoutingContext ctx) {
        Channel channel;
        try {
            channel = channel(ctx.pathParam("queue"));
        } catch (IllegalArgumentException e) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        JsonObject body = ctx.body().asJsonObject();
        if (body == null) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        Future<Long> done;
        if (body.getBoolean("all", false)) {
            done = deadLetters.replay(channel, REPLAY_ALL_PER_SHARD);
        } else {
            Map<Integer, List<String>> refsByShard = new LinkedHashMap<>();
            for (Object o : body.getJsonArray("items", new JsonArray())) {
                JsonObject item = (JsonObject) o;
                refsByShard.computeIfAbsent(item.getInteger("shard"), s -> new ArrayList<>()).add(item.getString("ref"));
            }
            List<Future<Integer>> moves = new ArrayList<>();
            refsByShard.forEach((shard, refs) -> moves.add(deadLetters.list(channel, REPLAY_ALL_PER_SHARD).compose(all -> {
                List<String> stored = new ArrayList<>();
                for (DeadLetters.Entry e : all) {
                    if (e.shard() == shard && refs.contains(ref(e.entry()))) {
                        stored.add(e.entry());
                    }
                }
                return deadLetters.replay(shard, channel, stored);
            })));
            done = Future.all(moves).map(x -> moves.stream().mapToLong(Future::result).sum());
        }
        done.onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else {
                ctx.json(new JsonObject().put("replayed", ar.result()));
            }
        });
    }

    private Future<DeadLetters.Entry> find(RoutingContext ctx) {
        Channel channel;
        int shard;
        try {
            channel = channel(ctx.pathParam("queue"));
            shard = Integer.parseInt(ctx.pathParam("shard"));
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(null);
        }
        String ref = ctx.pathParam("ref");
        return deadLetters.list(channel, REPLAY_ALL_PER_SHARD).map(all -> all.stream()
                .filter(e -> e.shard() == shard && ref(e.entry()).equals(ref)).findFirst().orElse(null));
    }

    /** What the page shows of an entry: where it is, what it is, the address masked. */
    static JsonObject summary(DeadLetters.Entry e) {
        JsonObject out = new JsonObject().put("shard", e.shard()).put("index", e.index()).put("ref", ref(e.entry()));
        if (e.channel() == null) {
            try {
                Message m = Json.read(e.entry(), Message.class);
                return out.put("messageId", m.id()).put("groupId", m.groupId()).put("senderId", m.senderId())
                        .put("acceptedAt", m.acceptedAtMillis());
            } catch (IllegalArgumentException x) {
                return out.put("unreadable", true);
            }
        }
        try {
            Delivery d = Json.read(e.entry(), Delivery.class);
            return out.put("messageId", d.messageId()).put("deliveryId", d.id()).put("groupId", d.groupId())
                    .put("recipientId", d.recipientId()).put("channel", d.channel() == null ? null : d.channel().id())
                    .put("address", AddressMask.mask(d.channel(), d.address())).put("attempt", d.attempt())
                    .put("acceptedAt", d.acceptedAtMillis());
        } catch (IllegalArgumentException x) {
            return out.put("unreadable", true);
        }
    }

    private static String text(DeadLetters.Entry e) {
        try {
            return e.channel() == null ? Json.read(e.entry(), Message.class).text() : Json.read(e.entry(), Delivery.class).text();
        } catch (IllegalArgumentException x) {
            // unreadable: it might hold an address anywhere, so only its size is shown
            return "(unreadable entry of " + e.entry().length() + " characters)";
        }
    }

    static String ref(String entry) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(entry.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Channel channel(String queue) {
        return queue.equals("mailbox") ? null : Channel.fromId(queue);
    }

    private static long number(String s, long fallback) {
        try {
            return s == null ? fallback : Math.max(0, Long.parseLong(s));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
