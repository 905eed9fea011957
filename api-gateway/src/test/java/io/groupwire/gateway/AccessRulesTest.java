package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's access rules at the API: a device token belongs to one user at a time, groups have an
 * owner and admins and do not exist for strangers, a source_guid is bound to its first use, and
 * /metrics on the API port answers only this host.
 */
class AccessRulesTest extends GatewayTestSupport {
    static final String TOKEN = "8f3e5a0c2b7d4e1f9a6b3c8d5e2f7a4b1c6d9e0f3a8b5c2d7e4f1a6b9c3d8e5f";

    static HttpResponse<Buffer> device(String userToken, String token) {
        return call(HttpMethod.POST, "/v1/devices", userToken, new JsonObject().put("platform", "apns").put("token", token));
    }

    @Test
    void registeringAnotherUsersTokenMovesItCountsTheMoveAndTheOwnersDeleteEndsIt() {
        JsonObject bob = user("Bob", null);
        JsonObject mallory = user("Mallory", null);
        double moved = metric("groupwire_gateway_device_registrations_moved_total");
        HttpResponse<Buffer> bobs = device(bob.getString("token"), TOKEN);
        assertEquals(201, bobs.statusCode());
        assertEquals(moved, metric("groupwire_gateway_device_registrations_moved_total"));

        HttpResponse<Buffer> taken = device(mallory.getString("token"), TOKEN);
        assertEquals(201, taken.statusCode());
        assertEquals(moved + 1, metric("groupwire_gateway_device_registrations_moved_total"), "Bob's registration ended");
        // Bob's registration is gone: deleting it finds nothing
        assertError(call(HttpMethod.DELETE, "/v1/devices/" + bobs.bodyAsJsonObject().getString("id"), bob.getString("token"), null),
                404, "not_found");

        // Bob signs back in: the token is his again, and his DELETE ends it everywhere
        String again = device(bob.getString("token"), TOKEN).bodyAsJsonObject().getString("id");
        assertEquals(moved + 2, metric("groupwire_gateway_device_registrations_moved_total"));
        assertEquals(204, call(HttpMethod.DELETE, "/v1/devices/" + again, bob.getString("token"), null).statusCode());
        assertError(call(HttpMethod.DELETE, "/v1/devices/" + taken.bodyAsJsonObject().getString("id"),
                mallory.getString("token"), null), 404, "not_found");
    }

    @Test
    void ownersAndAdminsRunTheGroupAndStrangersDoNotSeeIt() {
        JsonObject owner = user("Owner", null);
        JsonObject admin = user("Admin", null);
        JsonObject member = user("Member", null);
        JsonObject stranger = user("Stranger", null);
        String o = owner.getString("token");
        String a = admin.getString("token");
        String m = member.getString("token");
        String s = stranger.getString("token");
        String gid = group(o, admin.getString("id"), member.getString("id")).getString("id");
        String base = "/v1/groups/" + gid;

        assertError(call(HttpMethod.PUT, base + "/admins/" + admin.getString("id"), m, null), 403, "forbidden");
        HttpResponse<Buffer> named = call(HttpMethod.PUT, base + "/admins/" + admin.getString("id"), o, null);
        assertEquals(200, named.statusCode(), named.bodyAsString());
        assertEquals(new JsonArray().add(admin.getString("id")), named.bodyAsJsonObject().getJsonArray("admins"));

        // the admin adds and removes members, but not the owner; a member does neither
        assertEquals(201, call(HttpMethod.POST, base + "/members", a, new JsonObject().put("user_id", stranger.getString("id"))).statusCode());
        assertEquals(204, call(HttpMethod.DELETE, base + "/members/" + stranger.getString("id"), a, null).statusCode());
        assertError(call(HttpMethod.DELETE, base + "/members/" + owner.getString("id"), a, null), 403, "forbidden");
        assertError(call(HttpMethod.DELETE, base + "/members/" + admin.getString("id"), m, null), 403, "forbidden");
        assertError(call(HttpMethod.POST, base + "/members", m, new JsonObject().put("user_id", stranger.getString("id"))),
                403, "forbidden");

        // to a stranger every group operation answers as if the group did not exist
        assertError(call(HttpMethod.GET, base, s, null), 404, "not_found");
        assertError(call(HttpMethod.PUT, base + "/admins/" + stranger.getString("id"), s, null), 404, "not_found");
        assertError(call(HttpMethod.DELETE, base + "/admins/" + admin.getString("id"), s, null), 404, "not_found");
        assertError(call(HttpMethod.PUT, base + "/owner", s, new JsonObject().put("user_id", stranger.getString("id"))),
                404, "not_found");
        assertError(call(HttpMethod.DELETE, base + "/members/" + member.getString("id"), s, null), 404, "not_found");
        assertError(send(s, gid, "x", "hi"), 404, "not_found");

        // only the owner hands ownership over, and becomes an admin
        assertError(call(HttpMethod.PUT, base + "/owner", a, new JsonObject().put("user_id", admin.getString("id"))),
                403, "forbidden");
        HttpResponse<Buffer> handed = call(HttpMethod.PUT, base + "/owner", o, new JsonObject().put("user_id", member.getString("id")));
        assertEquals(200, handed.statusCode(), handed.bodyAsString());
        assertEquals(member.getString("id"), handed.bodyAsJsonObject().getString("owner_id"));
        assertTrue(handed.bodyAsJsonObject().getJsonArray("admins").contains(owner.getString("id")));
        // the new owner takes the admin role from the old one, who may then leave like anyone
        assertEquals(204, call(HttpMethod.DELETE, base + "/admins/" + owner.getString("id"), m, null).statusCode());
        assertError(call(HttpMethod.DELETE, base + "/admins/" + owner.getString("id"), m, null), 404, "not_found");
        assertEquals(204, call(HttpMethod.DELETE, base + "/members/" + owner.getString("id"), o, null).statusCode());
        assertError(call(HttpMethod.GET, base, o, null), 404, "not_found");
    }

    @Test
    void aSourceGuidReusedForAnotherGroupOrTextIs409AndEnqueuesNothing() {
        JsonObject alice = user("Alice", null);
        String a = alice.getString("token");
        String one = group(a).getString("id");
        String two = group(a).getString("id");
        String conflicts = "groupwire_messages_refused_total{reason=\"source_guid_conflict\"";
        double before = metric(conflicts);
        HttpResponse<Buffer> first = send(a, one, "guid-1", "hello");
        assertEquals(202, first.statusCode());
        assertEquals(first.bodyAsJsonObject(), send(a, one, "guid-1", "hello").bodyAsJsonObject(), "a retry");
        assertError(send(a, one, "guid-1", "hello again"), 409, "source_guid_conflict");
        assertError(send(a, two, "guid-1", "hello"), 409, "source_guid_conflict");
        // the two groups may share a shard, and so a mailbox: count by group
        assertEquals(1, mailboxMessages(one).stream().filter(m -> m.getString("group_id").equals(one)).count());
        assertEquals(0, mailboxMessages(two).stream().filter(m -> m.getString("group_id").equals(two)).count());
        assertEquals(before + 2, metric(conflicts), 0.0001, "counted as refusals");
    }

    @Test
    void metricsOnTheApiPortAnswerOnlyThisHost() throws Exception {
        InetAddress outside = nonLoopbackAddress();
        assumeTrue(outside != null, "this machine has no non-loopback IPv4 address to call from");
        GatewayService open = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_HTTP_HOST", "0.0.0.0"))));
        GatewayService published = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_HTTP_HOST", "0.0.0.0",
                "GROUPWIRE_GATEWAY_METRICS", "public"))));
        try {
            assertEquals(200, get(open, "127.0.0.1", "/metrics").statusCode());
            assertError(get(open, outside.getHostAddress(), "/metrics"), 404, "not_found");
            assertEquals(200, get(open, outside.getHostAddress(), "/health").statusCode(), "health stays public");
            assertEquals(200, get(published, outside.getHostAddress(), "/metrics").statusCode());
        } finally {
            await(open.stop());
            await(published.stop());
        }
    }

    static HttpResponse<Buffer> get(GatewayService g, String host, String path) {
        return await(http.request(HttpMethod.GET, g.port(), host, path).send());
    }

    static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    assertNotNull(address);
                    return address;
                }
            }
        }
        return null;
    }
}
