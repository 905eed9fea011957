package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.redis.Keys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every endpoint doing its job, observed over HTTP and in Redis. */
class ApiHappyPathTest extends GatewayTestSupport {

    @Test
    void theAdminCreatesUsersWhoseTokensWork() {
        JsonObject alice = user("Alice", "+15550000001");
        assertTrue(alice.getString("id").matches("u_[A-Za-z0-9_-]{16}"), alice.encode());
        assertEquals("Alice", alice.getString("name"));
        assertEquals("+15550000001", alice.getString("phone"));
        assertTrue(alice.getString("token").matches("[A-Za-z0-9_-]{43}"), alice.encode());
        // only the token's hash is stored, and it leads to the user
        String uid = await(redis.send(Request.cmd(Command.GET).arg(Keys.token(Directory.sha256(alice.getString("token")))))).toString();
        assertEquals(alice.getString("id"), uid);
        JsonObject bob = user("  Bob  ", null);
        assertEquals("Bob", bob.getString("name"), "surrounding blanks are removed");
        assertNull(bob.getString("phone"));
        assertNotEquals(alice.getString("token"), bob.getString("token"));
        // the token authenticates
        assertEquals(201, call(HttpMethod.POST, "/v1/groups", bob.getString("token"), new JsonObject().put("name", "mine")).statusCode());
    }

    @Test
    void devicesAreRegisteredOnceAndRemovedByTheirOwner() {
        JsonObject bob = user("Bob", null);
        String t = bob.getString("token");
        HttpResponse<Buffer> dev = call(HttpMethod.POST, "/v1/devices", t,
                new JsonObject().put("platform", "apns").put("token", "a1b2c3d4e5f6"));
        assertEquals(201, dev.statusCode(), dev.bodyAsString());
        JsonObject d = dev.bodyAsJsonObject();
        assertEquals("apns", d.getString("platform"));
        assertEquals("a1b2c3d4e5f6", d.getString("token"));
        assertTrue(Instant.parse(d.getString("created_at")).isAfter(Instant.now().minus(Duration.ofMinutes(1))));
        // the same registration again is the same device
        HttpResponse<Buffer> again = call(HttpMethod.POST, "/v1/devices", t,
                new JsonObject().put("platform", "apns").put("token", "a1b2c3d4e5f6"));
        assertEquals(201, again.statusCode());
        assertEquals(d, again.bodyAsJsonObject());
        HttpResponse<Buffer> fcm = call(HttpMethod.POST, "/v1/devices", t,
                new JsonObject().put("platform", "fcm").put("token", "fcm:APA91b-x_y.z"));
        assertEquals(201, fcm.statusCode(), fcm.bodyAsString());
        assertEquals(2L, await(redis.send(Request.cmd(Command.HLEN).arg(Keys.userDevices(bob.getString("id"))))).toLong());

        assertEquals(204, call(HttpMethod.DELETE, "/v1/devices/" + d.getString("id"), t, null).statusCode());
        assertEquals(1L, await(redis.send(Request.cmd(Command.HLEN).arg(Keys.userDevices(bob.getString("id"))))).toLong());
        assertError(call(HttpMethod.DELETE, "/v1/devices/" + d.getString("id"), t, null), 404, "not_found");
    }

    @Test
    void groupsAreCreatedReadAndChangedByTheirMembers() {
        JsonObject alice = user("Alice", null);
        JsonObject bob = user("Bob", null);
        JsonObject carol = user("Carol", null);
        JsonObject g = group(alice.getString("token"), bob.getString("id"), bob.getString("id"));
        String gid = g.getString("id");
        assertTrue(gid.matches("g_[A-Za-z0-9_-]{16}"), gid);
        assertEquals("Climbing", g.getString("name"));
        assertEquals(alice.getString("id"), g.getString("creator_id"));
        assertEquals(sorted(alice, bob), g.getJsonArray("members"));
        Instant.parse(g.getString("created_at"));

        HttpResponse<Buffer> read = call(HttpMethod.GET, "/v1/groups/" + gid, bob.getString("token"), null);
        assertEquals(200, read.statusCode());
        assertEquals(g, read.bodyAsJsonObject());

        long version = directoryVersion();
        // the creator owns the group; owner and admins add members (issue 12: a plain member may not)
        assertEquals(alice.getString("id"), g.getString("owner_id"));
        assertEquals(new JsonArray(), g.getJsonArray("admins"));
        assertError(call(HttpMethod.POST, "/v1/groups/" + gid + "/members", bob.getString("token"),
                new JsonObject().put("user_id", carol.getString("id"))), 403, "forbidden");
        HttpResponse<Buffer> added = call(HttpMethod.POST, "/v1/groups/" + gid + "/members", alice.getString("token"),
                new JsonObject().put("user_id", carol.getString("id")));
        assertEquals(201, added.statusCode(), added.bodyAsString());
        assertEquals(sorted(alice, bob, carol), added.bodyAsJsonObject().getJsonArray("members"));
        assertTrue(directoryVersion() > version, "adding a member changes routing");
        HttpResponse<Buffer> twice = call(HttpMethod.POST, "/v1/groups/" + gid + "/members", alice.getString("token"),
                new JsonObject().put("user_id", carol.getString("id")));
        assertEquals(200, twice.statusCode(), "already a member: the group, unchanged");
        assertEquals(3, twice.bodyAsJsonObject().getJsonArray("members").size());

        // the owner removes a member; the owner leaves, and the longest-standing member owns the group
        assertEquals(204, call(HttpMethod.DELETE, "/v1/groups/" + gid + "/members/" + carol.getString("id"),
                alice.getString("token"), null).statusCode());
        assertEquals(204, call(HttpMethod.DELETE, "/v1/groups/" + gid + "/members/" + alice.getString("id"),
                alice.getString("token"), null).statusCode());
        JsonObject after = call(HttpMethod.GET, "/v1/groups/" + gid, bob.getString("token"), null).bodyAsJsonObject();
        assertEquals(new JsonArray().add(bob.getString("id")), after.getJsonArray("members"));
        assertEquals(bob.getString("id"), after.getString("owner_id"));
        // to a former member the group does not exist
        assertError(call(HttpMethod.GET, "/v1/groups/" + gid, carol.getString("token"), null), 404, "not_found");
    }

    @Test
    void aMessageIsAcceptedOnlyOnceStoredAndAnsweredWithItsId() {
        JsonObject alice = user("Alice", null);
        JsonObject bob = user("Bob", null);
        String gid = group(alice.getString("token"), bob.getString("id")).getString("id");
        double acceptedBefore = metric("groupwire_messages_accepted_total{service=\"gateway\"}");
        HttpResponse<Buffer> sent = send(alice.getString("token"), gid, "guid-1", "hello 👋\nsecond line");
        assertEquals(202, sent.statusCode(), sent.bodyAsString());
        JsonObject body = sent.bodyAsJsonObject();
        assertEquals(gid, body.getString("group_id"));
        assertEquals(alice.getString("id"), body.getString("sender_id"));
        String acceptedAt = body.getString("accepted_at");
        assertTrue(acceptedAt.endsWith("Z"), "UTC: " + acceptedAt);
        assertTrue(Duration.between(Instant.parse(acceptedAt), Instant.now()).abs().toSeconds() < 60);
        List<JsonObject> stored = mailboxMessages(gid);
        assertEquals(1, stored.size());
        assertEquals(body.getString("id"), stored.get(0).getString("id"));
        assertEquals("hello 👋\nsecond line", stored.get(0).getString("text"));
        assertEquals("guid-1", stored.get(0).getString("source_guid"));
        assertEquals(Instant.parse(acceptedAt).toEpochMilli(), stored.get(0).getLong("accepted_at_millis"));
        assertEquals(acceptedBefore + 1, metric("groupwire_messages_accepted_total{service=\"gateway\"}"));
    }

    @Test
    void theSameSourceGuidReturnsTheFirstAnswerAndEnqueuesNothing() {
        JsonObject alice = user("Alice", null);
        JsonObject bob = user("Bob", null);
        String gid = group(alice.getString("token"), bob.getString("id")).getString("id");
        double dupBefore = metric("groupwire_duplicates_suppressed_total{service=\"gateway\",stage=\"gateway\"}");
        JsonObject first = send(alice.getString("token"), gid, "same", "one").bodyAsJsonObject();
        HttpResponse<Buffer> again = send(alice.getString("token"), gid, "same", "one");
        assertEquals(202, again.statusCode());
        assertEquals(first, again.bodyAsJsonObject());
        // with another text it is a conflict (issue 12: 409, not the first answer), and the first message stands
        assertError(send(alice.getString("token"), gid, "same", "edited"), 409, "source_guid_conflict");
        assertEquals(1, mailboxDepth(gid));
        assertEquals("one", mailboxMessages(gid).get(0).getString("text"));
        assertEquals(dupBefore + 1, metric("groupwire_duplicates_suppressed_total{service=\"gateway\",stage=\"gateway\"}"));
        // another sender's guids are their own
        HttpResponse<Buffer> bobs = send(bob.getString("token"), gid, "same", "two");
        assertEquals(202, bobs.statusCode());
        assertNotEquals(first.getString("id"), bobs.bodyAsJsonObject().getString("id"));
        assertEquals(2, mailboxDepth(gid));
    }

    @Test
    void managementEndpointsNeedNoToken() {
        HttpResponse<Buffer> health = call(HttpMethod.GET, "/health", null, null);
        assertEquals(200, health.statusCode());
        assertEquals("up", health.bodyAsJsonObject().getString("status"));
        assertTrue(call(HttpMethod.GET, "/openapi.yaml", null, null).bodyAsString().contains("operationId: sendMessage"));

        JsonObject alice = user("Alice", null);
        String gid = group(alice.getString("token")).getString("id");
        send(alice.getString("token"), gid, "m", "hi");
        send("bad-token", gid, "m", "hi");
        HttpResponse<Buffer> metrics = call(HttpMethod.GET, "/metrics", null, null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.getHeader("content-type").startsWith("text/plain"));
        String text = metrics.bodyAsString();
        assertTrue(text.contains("groupwire_messages_accepted_total{service=\"gateway\"}"), text);
        assertTrue(text.contains("groupwire_messages_refused_total{reason=\"unauthorized\",service=\"gateway\"}"), text);
        assertTrue(text.contains("groupwire_gateway_requests_seconds_count{operation=\"sendMessage\",service=\"gateway\",status=\"202\"}"), text);
        assertTrue(text.contains("groupwire_gateway_requests_seconds_count{operation=\"createUser\",service=\"gateway\",status=\"201\"}"), text);
        assertTrue(text.contains("groupwire_gateway_requests_seconds_bucket{operation=\"createGroup\""), "histogram buckets");
    }

    @Test
    void operatorRoutesAreMountedBesideTheApi() {
        GatewayService withDashboard = await(GatewayService.start(vertx, config(java.util.Map.of()),
                (router, r, shards, registry) -> router.get("/dashboard").handler(ctx -> ctx.response()
                        .end("shards=" + shards.count()))));
        try {
            HttpResponse<Buffer> page = call(withDashboard, HttpMethod.GET, "/dashboard", null, null);
            assertEquals(200, page.statusCode());
            assertEquals("shards=" + SHARDS, page.bodyAsString());
            // the API is still there, still guarded
            assertError(call(withDashboard, HttpMethod.GET, "/v1/groups/g_x", null, null), 401, "unauthorized");
        } finally {
            await(withDashboard.stop());
        }
        assertFalse(call(HttpMethod.GET, "/dashboard", null, null).statusCode() == 200);
    }

    @Test
    void severalServerInstancesShareAFixedPort() throws Exception {
        int port = io.groupwire.core.redis.RedisProcess.freePort();
        GatewayService multi = await(GatewayService.start(vertx, config(java.util.Map.of("GROUPWIRE_HTTP_PORT", Integer.toString(port),
                "GROUPWIRE_GATEWAY_INSTANCES", "3"))));
        try {
            assertEquals(port, multi.port());
            JsonObject alice = user("Alice", null);
            String gid = group(alice.getString("token")).getString("id");
            List<io.vertx.core.Future<HttpResponse<Buffer>>> sends = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                sends.add(http.post(port, "127.0.0.1", "/v1/groups/" + gid + "/messages")
                        .putHeader("authorization", "Bearer " + alice.getString("token"))
                        .sendJsonObject(new JsonObject().put("source_guid", "m" + i).put("text", "hi " + i)));
            }
            await(io.vertx.core.Future.all(sends));
            for (var f : sends) {
                assertEquals(202, f.result().statusCode(), f.result().bodyAsString());
            }
            assertEquals(30, mailboxDepth(gid));
        } finally {
            await(multi.stop());
        }
    }

    private static long directoryVersion() {
        var r = await(redis.send(Request.cmd(Command.GET).arg(Keys.DIRECTORY_VERSION)));
        return r == null ? 0 : r.toLong();
    }

    private static JsonArray sorted(JsonObject... users) {
        return new JsonArray(java.util.Arrays.stream(users).map(u -> u.getString("id")).sorted().toList());
    }
}
