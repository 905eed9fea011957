package io.groupwire.gateway;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.directory.User;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates every API call before the validator or any handler looks at it, so that a
 * stranger learns nothing from validation errors: {@code createUser} needs the admin token, every
 * other operation a user's token. Tokens are compared by their SHA-256 in constant time; a user
 * found by token is cached for a minute so that a busy sender costs no Redis lookup per message
 * (users and tokens are never deleted, so the cache cannot serve a revoked token).
 */
final class BearerAuth implements Handler<RoutingContext> {
    private static final String USER = "groupwire.user";
    private static final long CACHE_MILLIS = 60_000;
    private static final int CACHE_MAX = 100_000;
    /** Longer headers are not tokens of ours; refusing them early spares a hash and a lookup. */
    private static final int MAX_HEADER = 600;

    private record Cached(User user, long expiresAt) {
    }

    private final Directory directory;
    private final RedisGuard guard;
    private final byte[] adminHash;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    BearerAuth(Directory directory, RedisGuard guard, String adminToken) {
        this.directory = directory;
        this.guard = guard;
        this.adminHash = Directory.sha256(adminToken).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (header == null || header.length() > MAX_HEADER || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            ctx.fail(unauthorized("Authorization: Bearer <token> is required"));
            return;
        }
        String token = header.substring(7).trim();
        String hash = Directory.sha256(token);
        boolean admin = MessageDigest.isEqual(adminHash, hash.getBytes(StandardCharsets.US_ASCII));
        if ("createUser".equals(Operations.current(ctx))) {
            if (admin) {
                ctx.next();
                return;
            }
            // a user's own token is valid but not enough (403); anything else is no token at all (401)
            guard.call(directory.authenticate(token)).onComplete(ar -> ctx.fail(ar.failed() ? ar.cause()
                    : ar.result() == null ? unauthorized("unknown token")
                    : ApiException.forbidden("creating users needs the admin token")));
            return;
        }
        Cached cached = cache.get(hash);
        if (cached != null && cached.expiresAt() > System.currentTimeMillis()) {
            ctx.put(USER, cached.user());
            ctx.next();
            return;
        }
        guard.call(directory.authenticate(token)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result() == null) {
                ctx.fail(unauthorized(admin ? "the admin token only creates users" : "unknown token"));
            } else {
                if (cache.size() > CACHE_MAX) {
                    cache.clear();
                }
                cache.put(hash, new Cached(ar.result(), System.currentTimeMillis() + CACHE_MILLIS));
                ctx.put(USER, ar.result());
                ctx.next();
            }
        });
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    /** The authenticated user of a request past this handler. */
    static User user(RoutingContext ctx) {
        return ctx.get(USER);
    }
}
