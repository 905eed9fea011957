package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.directory.Group;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.BulkUsers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every refusal the API documents: status, error code, a message naming the problem. */
class ApiErrorsTest extends GatewayTestSupport {

    private static HttpResponse<Buffer> post(String path, String token, Object body) {
        return call(HttpMethod.POST, path, token, body);
    }

    @Test
    void malformedWronglyTypedAndIncompleteBodiesAre400() {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        String m = "/v1/groups/" + gid + "/messages";
        assertErrorMentions(post(m, t, "{\"source_guid\": \"a\", \"text\": "), 400, "malformed_json", "not valid JSON");
        assertErrorMentions(post(m, t, "{'source_guid': 'a'}"), 400, "malformed_json", "not valid JSON");
        assertErrorMentions(post(m, t, ""), 400, "malformed_json");
        assertErrorMentions(post(m, t, "[\"a\", \"b\"]"), 400, "invalid_request", "object");
        assertErrorMentions(post(m, t, new JsonObject().put("source_guid", "a").put("text", 5)), 400, "invalid_request", "text", "string");
        assertErrorMentions(post(m, t, new JsonObject().put("source_guid", 7).put("text", "hi")), 400, "invalid_request", "source_guid", "string");
        assertErrorMentions(post(m, t, new JsonObject().put("source_guid", "a").put("text", new JsonObject())), 400, "invalid_request", "text");
        assertErrorMentions(post(m, t, "{\"source_guid\": null, \"text\": \"hi\"}"), 400, "invalid_request", "source_guid");
        assertErrorMentions(post(m, t, new JsonObject().put("text", "hi")), 400, "invalid_request", "missing", "source_guid");
        assertErrorMentions(post(m, t, new JsonObject().put("source_guid", "a")), 400, "invalid_request", "missing", "text");
        assertErrorMentions(post(m, t, new JsonObject().put("source_guid", "a").put("text", "hi").put("sender_id", "u_other")),
                400, "invalid_request", "unknown field", "sender_id");
        assertErrorMentions(post("/v1/groups", t, new JsonObject().put("name", "g").put("members", "u_a")), 400, "invalid_request", "members", "array");
        assertErrorMentions(post("/v1/groups", t, new JsonObject().put("name", "g").put("members", new JsonArray().add(5))),
                400, "invalid_request", "members");
        assertErrorMentions(post("/v1/devices", t, new JsonObject().put("platform", "blackberry").put("token", "x")),
                400, "invalid_request", "platform", "apns, fcm");
        assertErrorMentions(post("/v1/devices", t, new JsonObject().put("platform", "fcm").put("token", "has space")),
                400, "invalid_request", "token");
        // the validator's pattern would let a final line break through; the gateway does not
        assertErrorMentions(post("/v1/devices", t, new JsonObject().put("platform", "fcm").put("token", "abc123\n")),
                400, "invalid_request", "token");
        HttpResponse<Buffer> noBody = await(http.post(gateway.port(), "127.0.0.1", m).putHeader("authorization", "Bearer " + t).send());
        assertErrorMentions(noBody, 400, "invalid_request", "body is required");
        assertEquals(0, mailboxDepth(gid));
    }

    @Test
    void messageTextsAndGuidsAreMeasuredInCodePoints() {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        assertErrorMentions(send(t, gid, "a", ""), 400, "invalid_request", "text");
        assertErrorMentions(send(t, gid, "b", "x".repeat(1001)), 400, "invalid_request", "text", "1000");
        assertEquals(202, send(t, gid, "c", "x".repeat(1000)).statusCode());
        // a thousand emoji are a thousand characters, though two thousand UTF-16 units
        assertEquals(202, send(t, gid, "d", "😀".repeat(1000)).statusCode());
        assertErrorMentions(send(t, gid, "e", "😀".repeat(1001)), 400, "invalid_request", "text", "1000");
        // a family emoji is several code points: counted as such, not as one glyph
        String family = "👨‍👩‍👧‍👦"; // 7 code points
        assertEquals(7, family.codePointCount(0, family.length()));
        assertEquals(202, send(t, gid, "f", family.repeat(142)).statusCode());
        assertErrorMentions(send(t, gid, "g", family.repeat(143)), 400, "invalid_request", "text");
        assertErrorMentions(send(t, gid, "", "hi"), 400, "invalid_request", "source_guid");
        assertErrorMentions(send(t, gid, "x".repeat(129), "hi"), 400, "invalid_request", "source_guid", "128");
        assertEquals(202, send(t, gid, "😀".repeat(128), "hi").statusCode());
        assertEquals(4, mailboxDepth(gid));
    }

    @Test
    void usersNeedAValidNameAndAnE164Phone() {
        for (String bad : List.of("5550001234", "+05550001234", "+1555", "+1234567", "+1234567890123456", "+1 555 000 1234",
                "+1555000123a", "++15550001234", "+15550001234\n")) {
            assertErrorMentions(post("/v1/users", ADMIN, new JsonObject().put("name", "x").put("phone", bad)),
                    400, "invalid_request", "phone", "E.164");
        }
        assertEquals(201, post("/v1/users", ADMIN, new JsonObject().put("name", "x").put("phone", "+12345678")).statusCode());
        assertEquals(201, post("/v1/users", ADMIN, new JsonObject().put("name", "x").put("phone", "+123456789012345")).statusCode());
        assertErrorMentions(post("/v1/users", ADMIN, new JsonObject().put("name", "")), 400, "invalid_request", "name");
        assertErrorMentions(post("/v1/users", ADMIN, new JsonObject().put("name", "   ")), 400, "invalid_request", "name");
        assertErrorMentions(post("/v1/users", ADMIN, new JsonObject().put("name", "x".repeat(101))), 400, "invalid_request", "name", "100");
        assertEquals(201, post("/v1/users", ADMIN, new JsonObject().put("name", "é".repeat(100))).statusCode());
        assertErrorMentions(post("/v1/users", ADMIN, new JsonObject().put("name", "tab\there")), 400, "invalid_request", "control");
        assertErrorMentions(post("/v1/users", ADMIN, new JsonObject()), 400, "invalid_request", "missing", "name");
    }

    @Test
    void aMissingOrUnknownTokenIs401WithAChallenge() {
        JsonObject alice = user("Alice", null);
        String gid = group(alice.getString("token")).getString("id");
        for (String header : new String[] {null, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer nope",
                "Bearer " + alice.getString("token") + "x", "Bearer " + "a".repeat(1000)}) {
            var req = http.get(gateway.port(), "127.0.0.1", "/v1/groups/" + gid);
            if (header != null) {
                req.putHeader("authorization", header);
            }
            HttpResponse<Buffer> r = await(req.send());
            assertError(r, 401, "unauthorized");
            assertEquals("Bearer", r.getHeader("www-authenticate"), "header " + header);
        }
        // the scheme is case-insensitive
        assertEquals(200, await(http.get(gateway.port(), "127.0.0.1", "/v1/groups/" + gid)
                .putHeader("authorization", "bearer " + alice.getString("token")).send()).statusCode());
        assertError(post("/v1/users", null, new JsonObject().put("name", "x")), 401, "unauthorized");
        assertError(post("/v1/users", "guess", new JsonObject().put("name", "x")), 401, "unauthorized");
        // the admin token is not a user
        assertError(post("/v1/groups", ADMIN, new JsonObject().put("name", "x")), 401, "unauthorized");
        // a stranger learns nothing from validation: authentication comes first
        assertError(post("/v1/groups/" + gid + "/messages", null, "{not json"), 401, "unauthorized");
    }

    @Test
    void toNonMembersAGroupDoesNotExistAndUnknownThingsAre404() {
        JsonObject alice = user("Alice", null);
        JsonObject mallory = user("Mallory", null);
        String m = mallory.getString("token");
        String gid = group(alice.getString("token")).getString("id");
        assertError(post("/v1/users", alice.getString("token"), new JsonObject().put("name", "x")), 403, "forbidden");
        // issue 12: 404, not 403, which would tell a stranger that the group exists
        assertError(send(m, gid, "m", "let me in"), 404, "not_found");
        assertError(call(HttpMethod.GET, "/v1/groups/" + gid, m, null), 404, "not_found");
        assertError(post("/v1/groups/" + gid + "/members", m, new JsonObject().put("user_id", mallory.getString("id"))), 404, "not_found");
        assertError(call(HttpMethod.DELETE, "/v1/groups/" + gid + "/members/" + alice.getString("id"), m, null), 404, "not_found");
        assertEquals(1, call(HttpMethod.GET, "/v1/groups/" + gid, alice.getString("token"), null).bodyAsJsonObject()
                .getJsonArray("members").size());

        String a = alice.getString("token");
        assertError(send(a, "g_doesnotexist", "m", "hi"), 404, "not_found");
        assertError(call(HttpMethod.GET, "/v1/groups/g_doesnotexist", a, null), 404, "not_found");
        assertError(post("/v1/groups/g_doesnotexist/members", a, new JsonObject().put("user_id", mallory.getString("id"))), 404, "not_found");
        assertError(call(HttpMethod.DELETE, "/v1/groups/" + gid + "/members/" + mallory.getString("id"), a, null), 404, "not_found");
        assertError(call(HttpMethod.DELETE, "/v1/devices/d_nosuchdevice", a, null), 404, "not_found");
        assertError(call(HttpMethod.GET, "/v1/nothing-here", a, null), 404, "not_found");
        assertError(call(HttpMethod.GET, "/nothing-at-all", a, null), 404, "not_found");
        // another user's device is not found either
        String devId = post("/v1/devices", m, new JsonObject().put("platform", "fcm").put("token", "tok")).bodyAsJsonObject().getString("id");
        assertError(call(HttpMethod.DELETE, "/v1/devices/" + devId, a, null), 404, "not_found");
        assertEquals(204, call(HttpMethod.DELETE, "/v1/devices/" + devId, m, null).statusCode());
        assertEquals(0, mailboxDepth(gid));
    }

    @Test
    void unknownMembersAreNamedAndGroupsAreCappedAtFiveThousand() {
        JsonObject alice = user("Alice", null);
        String a = alice.getString("token");
        String bob = user("Bob", null).getString("id");
        assertErrorMentions(post("/v1/groups", a, new JsonObject().put("name", "g").put("members", new JsonArray().add(bob).add("u_nobody").add("u_ghost"))),
                400, "unknown_users", "u_nobody", "u_ghost");
        assertEquals(0, await(redis.send(Request.cmd(Command.KEYS).arg("gw:{s*}:group:*"))).size(), "nothing written");
        String gid = group(a).getString("id");
        assertErrorMentions(post("/v1/groups/" + gid + "/members", a, new JsonObject().put("user_id", "u_nobody")),
                400, "unknown_users", "u_nobody");

        // 4,999 others and the creator: a full group, in one request
        List<String> others = BulkUsers.write(redis, "u_bulk", Group.MAX_MEMBERS - 1);
        HttpResponse<Buffer> full = post("/v1/groups", a, new JsonObject().put("name", "full").put("members", new JsonArray(others)));
        assertEquals(201, full.statusCode(), full.bodyAsString());
        String fullId = full.bodyAsJsonObject().getString("id");
        assertEquals(Group.MAX_MEMBERS, full.bodyAsJsonObject().getJsonArray("members").size());
        assertErrorMentions(post("/v1/groups/" + fullId + "/members", a, new JsonObject().put("user_id", bob)),
                409, "group_full", "5000");
        // 5,000 others and the creator are one too many
        List<String> tooMany = new ArrayList<>(others);
        tooMany.add(bob);
        assertErrorMentions(post("/v1/groups", a, new JsonObject().put("name", "big").put("members", new JsonArray(tooMany))),
                400, "too_many_members", "5000");
        tooMany.add("u_one_more");
        assertErrorMentions(post("/v1/groups", a, new JsonObject().put("name", "big").put("members", new JsonArray(tooMany))),
                400, "invalid_request", "members", "5000");
        int shard = new Shards(SHARDS).of(fullId);
        assertEquals(Group.MAX_MEMBERS, await(redis.send(Request.cmd(Command.SCARD).arg(Keys.groupMembers(shard, fullId)))).toLong());
    }

    @Test
    void aUserHasAtMostTwentyDevices() {
        String t = user("Many", null).getString("token");
        for (int i = 0; i < Directory.MAX_DEVICES; i++) {
            assertEquals(201, post("/v1/devices", t, new JsonObject().put("platform", "fcm").put("token", "t" + i)).statusCode());
        }
        assertErrorMentions(post("/v1/devices", t, new JsonObject().put("platform", "fcm").put("token", "one-more")),
                409, "too_many_devices", "20");
        assertEquals(201, post("/v1/devices", t, new JsonObject().put("platform", "fcm").put("token", "t0")).statusCode(),
                "an existing registration is still answered");
    }

    @Test
    void wrongMethodsTooLargeBodiesAndWrongContentTypes() {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        assertEquals(202, send(t, gid, "kept", "accepted before the errors").statusCode());
        assertError(call(HttpMethod.PUT, "/v1/groups/" + gid, t, new JsonObject()), 405, "method_not_allowed");
        assertError(call(HttpMethod.DELETE, "/v1/groups/" + gid + "/messages", t, null), 405, "method_not_allowed");
        assertErrorMentions(post("/v1/groups/" + gid + "/messages", t,
                new JsonObject().put("source_guid", "big").put("text", "x".repeat(70_000))), 413, "too_large", "too large");
        // group creation has a larger limit, but not an unlimited one
        assertError(post("/v1/groups", t, new JsonObject().put("name", "g").put("members", new JsonArray().add("x".repeat(600_000)))),
                413, "too_large");
        HttpResponse<Buffer> text = await(http.post(gateway.port(), "127.0.0.1", "/v1/groups/" + gid + "/messages")
                .putHeader("authorization", "Bearer " + t).putHeader("content-type", "text/plain")
                .sendBuffer(Buffer.buffer("{\"source_guid\":\"p\",\"text\":\"hi\"}")));
        assertErrorMentions(text, 415, "unsupported_media_type", "application/json");
        HttpResponse<Buffer> form = await(http.post(gateway.port(), "127.0.0.1", "/v1/groups/" + gid + "/messages")
                .putHeader("authorization", "Bearer " + t)
                .sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("source_guid", "f").add("text", "hi")));
        assertError(form, 415, "unsupported_media_type");
        HttpResponse<Buffer> untyped = await(http.post(gateway.port(), "127.0.0.1", "/v1/groups/" + gid + "/messages")
                .putHeader("authorization", "Bearer " + t).sendBuffer(Buffer.buffer("{\"source_guid\":\"u\",\"text\":\"hi\"}")));
        assertError(untyped, 415, "unsupported_media_type");
        HttpResponse<Buffer> charset = await(http.post(gateway.port(), "127.0.0.1", "/v1/groups/" + gid + "/messages")
                .putHeader("authorization", "Bearer " + t).putHeader("content-type", "application/json; charset=utf-8")
                .sendBuffer(Buffer.buffer("{\"source_guid\":\"cs\",\"text\":\"hi\"}")));
        assertEquals(202, charset.statusCode(), charset.bodyAsString());
        // the message accepted before all this is still there, first in line
        List<JsonObject> messages = mailboxMessages(gid);
        assertEquals(2, messages.size());
        assertEquals("accepted before the errors", messages.get(0).getString("text"));
    }

    @Test
    void refusedMessagesAreCountedByReason() {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        String series = "groupwire_messages_refused_total{reason=\"%s\",service=\"gateway\"}";
        double invalid = metric(series.formatted("invalid_request"));
        double unknownGroup = metric(series.formatted("not_found"));
        send(t, gid, "a", "");
        send(t, "g_none", "b", "hi");
        assertEquals(invalid + 1, metric(series.formatted("invalid_request")));
        assertEquals(unknownGroup + 1, metric(series.formatted("not_found")));
    }

    @Test
    void aHundredThousandMemberGroupIsRefusedNamingTheMemberLimit() {
        String a = user("Alice", null).getString("token");
        JsonArray members = new JsonArray();
        for (int i = 0; i < 100_000; i++) {
            members.add(String.format("u_%010d", i));
        }
        // was "the request body is too large", which does not say what to change
        assertErrorMentions(post("/v1/groups", a, new JsonObject().put("name", "everyone").put("members", members)),
                413, "too_large", "at most " + Group.MAX_MEMBERS + " members");
        assertEquals(0, await(redis.send(Request.cmd(Command.KEYS).arg("gw:{s*}:group:*"))).size(), "nothing written");
    }
}
