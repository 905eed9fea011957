package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.Env;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-user and per-group limits held in Redis: two gateways share them, an exhausted one answers
 * 429 with Retry-After and a JSON error, and each refusal is counted.
 */
class RateLimitsTest extends GatewayTestSupport {

    @Test
    void sendsPerUserAreLimitedAcrossGatewayInstances() {
        Map<String, String> tight = Map.of("GROUPWIRE_LIMIT_SENDS_PER_USER", "3/1h");
        GatewayService one = await(GatewayService.start(vertx, config(tight)));
        GatewayService two = await(GatewayService.start(vertx, config(tight)));
        try {
            JsonObject alice = user("Alice", null);
            String a = alice.getString("token");
            String gid = group(a).getString("id");
            assertEquals(202, send(one, a, gid, "1", "hi").statusCode());
            assertEquals(202, send(two, a, gid, "2", "hi").statusCode());
            assertEquals(202, send(one, a, gid, "3", "hi").statusCode());
            HttpResponse<Buffer> limited = send(two, a, gid, "4", "hi");
            assertError(limited, 429, "rate_limited");
            long retryAfter = Long.parseLong(limited.getHeader("retry-after"));
            assertTrue(retryAfter >= 1 && retryAfter <= 3600, "Retry-After " + retryAfter);
            assertEquals(3, mailboxDepth(gid), "the refused send enqueued nothing");
            assertEquals(1.0, metric(two, "groupwire_gateway_rate_limited_total{limit=\"send_user\""), 0.0001);
        } finally {
            await(one.stop());
            await(two.stop());
        }
    }

    @Test
    void sendsPerGroupAreLimitedForAllSendersTogetherButNotForStrangers() {
        GatewayService g = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_LIMIT_SENDS_PER_GROUP", "2/1h"))));
        try {
            JsonObject alice = user("Alice", null);
            JsonObject bob = user("Bob", null);
            String mallory = user("Mallory", null).getString("token");
            String gid = group(alice.getString("token"), bob.getString("id")).getString("id");
            for (int i = 0; i < 5; i++) {
                assertError(send(g, mallory, gid, "m" + i, "spam"), 404, "not_found");
            }
            assertEquals(202, send(g, alice.getString("token"), gid, "a", "hi").statusCode(), "a stranger spent nothing");
            assertEquals(202, send(g, bob.getString("token"), gid, "b", "hi").statusCode());
            assertError(send(g, alice.getString("token"), gid, "c", "hi"), 429, "rate_limited");
            assertEquals(1.0, metric(g, "groupwire_gateway_rate_limited_total{limit=\"send_group\""), 0.0001);
        } finally {
            await(g.stop());
        }
    }

    @Test
    void groupCreationAndMemberAdditionsPerUserAreLimited() {
        GatewayService g = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_LIMIT_GROUPS_PER_USER", "2/1h",
                "GROUPWIRE_LIMIT_MEMBER_ADDS_PER_USER", "1/1h"))));
        try {
            String a = user("Alice", null).getString("token");
            String bob = user("Bob", null).getString("id");
            String carol = user("Carol", null).getString("id");
            JsonObject body = new JsonObject().put("name", "g");
            String gid = call(g, HttpMethod.POST, "/v1/groups", a, body).bodyAsJsonObject().getString("id");
            assertEquals(201, call(g, HttpMethod.POST, "/v1/groups", a, body).statusCode());
            assertError(call(g, HttpMethod.POST, "/v1/groups", a, body), 429, "rate_limited");
            assertEquals(201, call(g, HttpMethod.POST, "/v1/groups/" + gid + "/members", a,
                    new JsonObject().put("user_id", bob)).statusCode());
            assertError(call(g, HttpMethod.POST, "/v1/groups/" + gid + "/members", a,
                    new JsonObject().put("user_id", carol)), 429, "rate_limited");
        } finally {
            await(g.stop());
        }
    }

    @Test
    void limitsAreConfiguredAsTokensPerPeriodOrOff() {
        RateLimitSettings defaults = RateLimitSettings.fromEnv(new Env(Map.of()));
        assertEquals(new RateLimitSettings.Rate(600, Duration.ofMinutes(1)), defaults.rate(RateLimitSettings.Limit.SEND_PER_USER));
        RateLimitSettings set = RateLimitSettings.fromEnv(new Env(Map.of("GROUPWIRE_LIMIT_SENDS_PER_USER", "50/s",
                "GROUPWIRE_LIMIT_SENDS_PER_GROUP", "off", "GROUPWIRE_LIMIT_GROUPS_PER_USER", "5/10m")));
        assertEquals(new RateLimitSettings.Rate(50, Duration.ofSeconds(1)), set.rate(RateLimitSettings.Limit.SEND_PER_USER));
        assertEquals(null, set.rate(RateLimitSettings.Limit.SEND_PER_GROUP));
        assertEquals(new RateLimitSettings.Rate(5, Duration.ofMinutes(10)), set.rate(RateLimitSettings.Limit.CREATE_GROUP));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateLimitSettings.fromEnv(
                new Env(Map.of("GROUPWIRE_LIMIT_MEMBER_ADDS_PER_USER", "lots"))));
        assertTrue(e.getMessage().contains("GROUPWIRE_LIMIT_MEMBER_ADDS_PER_USER"), e.getMessage());
    }

    @Test
    void aBucketCallThatLostItsRedisIsA503NotA500() {
        // as bucket4j hands Lettuce's failures over: wrapped in a CompletionException (the fault suite met this one)
        Throwable reset = RateLimits.unavailable(new java.util.concurrent.CompletionException(
                new java.net.SocketException("Connection reset")));
        assertEquals(503, ((ApiException) reset).status());
        Throwable refused = RateLimits.unavailable(new java.util.concurrent.CompletionException(
                new io.lettuce.core.RedisConnectionException("Unable to connect")));
        assertEquals(503, ((ApiException) refused).status());
        Throwable loading = RateLimits.unavailable(new io.lettuce.core.RedisCommandExecutionException("LOADING"));
        assertEquals(503, ((ApiException) loading).status());
        // a bug stays a bug
        assertTrue(RateLimits.unavailable(new java.util.concurrent.CompletionException(new IllegalStateException("bug")))
                instanceof IllegalStateException);
    }

    @Test
    void aLimitWhoseRedisCannotBeReachedIsA503AndIsTriedAgainLater() {
        RedisGuard guard = new RedisGuard(Duration.ofSeconds(2));
        LimitBuckets nowhere = new LimitBuckets(vertx, io.groupwire.core.redis.RedisSettings.single("redis://127.0.0.1:1", 16));
        RateLimits limits = new RateLimits(RateLimitSettings.fromEnv(new Env(Map.of())), nowhere, guard,
                new GatewayMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        for (int attempt = 0; attempt < 2; attempt++) {
            ApiException e = assertThrows(ApiException.class, () -> await(limits.take(RateLimitSettings.Limit.SEND_PER_USER, "u_x")));
            assertEquals(503, e.status());
            assertTrue(e.retryAfterSeconds() != null, "with Retry-After");
        }
        nowhere.close();
    }

    static double metric(GatewayService g, String seriesPrefix) {
        String text = call(g, HttpMethod.GET, "/metrics", null, null).bodyAsString();
        for (String line : text.split("\n")) {
            if (line.startsWith(seriesPrefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
