package io.groupwire.console;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Operators log in with the operator token; the session (Vert.x's, its cookie {@code Secure},
 * {@code HttpOnly}, {@code SameSite=Strict}) then carries the login. The token is compared as a
 * SHA-256 digest in constant time and never kept in a session, a page or a log.
 */
final class OperatorLogin {
    static final String OPERATOR = "operator";
    private final byte[] tokenDigest;

    OperatorLogin(String operatorToken) {
        this.tokenDigest = sha256(operatorToken);
    }

    void mount(Router router) {
        router.post("/login").handler(this::login);
        router.post("/logout").handler(ctx -> {
            Session s = ctx.session();
            if (s != null) {
                s.destroy();
            }
            ctx.response().setStatusCode(204).end();
        });
        router.get("/api/session").handler(required()).handler(ctx -> ctx.json(new JsonObject().put("operator", true)));
    }

    /** Lets logged-in operators through; anyone else gets 401. */
    Handler<RoutingContext> required() {
        return ctx -> {
            Session s = ctx.session();
            if (s != null && Boolean.TRUE.equals(s.get(OPERATOR))) {
                ctx.next();
            } else {
                ctx.response().setStatusCode(401).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "log in first").encode());
            }
        };
    }

    private void login(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        String token = body == null ? null : body.getString("token");
        if (token == null || !MessageDigest.isEqual(sha256(token), tokenDigest)) {
            ctx.response().setStatusCode(401).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "wrong operator token").encode());
            return;
        }
        Session s = ctx.session();
        // a new session id on login: one planted before it is worth nothing
        s.regenerateId();
        s.put(OPERATOR, true);
        ctx.response().setStatusCode(204).end();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
