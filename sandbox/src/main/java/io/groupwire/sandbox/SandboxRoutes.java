package io.groupwire.sandbox;

import io.groupwire.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox's own control plane: {@code GET /sandbox/received} lists every delivery the sandbox
 * providers accepted (optionally {@code ?channel=apns|fcm|sms}), {@code DELETE} forgets them, and
 * {@code GET|POST /sandbox/faults} reads and sets the faults each sandbox provider injects.
 */
final class SandboxRoutes {
    private static final Set<String> CHANNELS = Set.of("apns", "fcm", "sms");
    private static final Set<String> FAULT_FIELDS = Set.of("error_rate", "throttle_rate", "retry_after_seconds",
            "drop_rate", "latency_millis");

    private SandboxRoutes() {
    }

    static void mount(Router router, ReceivedLog log, SandboxFaults faults) {
        router.get("/sandbox/received").handler(ctx -> {
            String channel = ctx.request().getParam("channel");
            if (channel != null && !CHANNELS.contains(channel)) {
                error(ctx, 400, "invalid_channel", "channel must be one of apns, fcm, sms");
                return;
            }
            List<ReceivedDelivery> entries = channel == null ? log.all() : log.channel(channel);
            JsonArray items = new JsonArray();
            for (ReceivedDelivery d : entries) {
                items.add(new JsonObject(Json.write(d)));
            }
            ctx.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("count", entries.size()).put("dropped", log.dropped())
                            .put("received", items).encode());
        });
        router.delete("/sandbox/received").handler(ctx -> {
            log.clear();
            ctx.response().setStatusCode(204).end();
        });
        router.get("/sandbox/faults").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end(faultsJson(faults).encode()));
        router.post("/sandbox/faults").handler(BodyHandler.create().setBodyLimit(16 * 1024)).handler(ctx -> {
            JsonObject body;
            try {
                body = ctx.body().asJsonObject();
            } catch (RuntimeException e) {
                error(ctx, 400, "malformed_json", "the body must be a JSON object");
                return;
            }
            if (body == null) {
                error(ctx, 400, "malformed_json", "the body must be a JSON object");
                return;
            }
            try {
                Map<String, SandboxFaults.FaultSpec> parsed = new java.util.HashMap<>();
                for (String channel : body.fieldNames()) {
                    if (!CHANNELS.contains(channel)) {
                        throw new IllegalArgumentException("unknown channel '" + truncate(channel) + "'; use apns, fcm or sms");
                    }
                    Object spec = body.getValue(channel);
                    if (!(spec instanceof JsonObject)) {
                        throw new IllegalArgumentException(channel + " must be an object of fault settings");
                    }
                    parsed.put(channel, spec((JsonObject) spec));
                }
                parsed.forEach(faults::set);
            } catch (IllegalArgumentException e) {
                error(ctx, 400, "invalid_faults", e.getMessage());
                return;
            }
            ctx.response().putHeader("content-type", "application/json").end(faultsJson(faults).encode());
        });
        router.delete("/sandbox/faults").handler(ctx -> {
            faults.clear();
            ctx.response().setStatusCode(204).end();
        });
        router.errorHandler(413, ctx -> error(ctx, 413, "too_large", "request body too large"));
    }

    private static SandboxFaults.FaultSpec spec(JsonObject o) {
        for (String f : o.fieldNames()) {
            if (!FAULT_FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown fault setting '" + truncate(f) + "'; use " + FAULT_FIELDS);
            }
        }
        return new SandboxFaults.FaultSpec(rate(o, "error_rate"), rate(o, "throttle_rate"),
                (int) number(o, "retry_after_seconds", 1), rate(o, "drop_rate"), (int) number(o, "latency_millis", 0));
    }

    private static double rate(JsonObject o, String field) {
        return number(o, field, 0);
    }

    private static double number(JsonObject o, String field, double fallback) {
        Object v = o.getValue(field);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return n.doubleValue();
    }

    private static JsonObject faultsJson(SandboxFaults faults) {
        JsonObject out = new JsonObject();
        faults.all().forEach((channel, s) -> out.put(channel, new JsonObject()
                .put("error_rate", s.errorRate()).put("throttle_rate", s.throttleRate())
                .put("retry_after_seconds", s.retryAfterSeconds()).put("drop_rate", s.dropRate())
                .put("latency_millis", s.latencyMillis())));
        return out;
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    static void error(RoutingContext ctx, int status, String code, String message) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
    }
}
