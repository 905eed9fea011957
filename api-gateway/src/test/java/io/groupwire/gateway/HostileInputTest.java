package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input meant to confuse parsers, smuggle values or inject markup: refused with a clear 400 where
 * it is ambiguous or invalid, stored verbatim and answered escaped where it is merely unusual, and
 * never a 5xx. Messages accepted before the attack stay in the mailbox.
 */
class HostileInputTest extends GatewayTestSupport {
    /** Under 100 characters, so that it is a valid name too. */
    static final String SCRIPTY = "<script>alert('x')</script>\"; DROP TABLE u; -- ' OR '1'='1 {{7*7}} ${jndi:ldap://x} \\u0000 &amp;";

    private static HttpResponse<Buffer> postRaw(String path, String token, Buffer body) {
        return call(HttpMethod.POST, path, token, body);
    }

    @Test
    void ambiguousOrInvalidJsonIsRefusedAndNothingIsLost() {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        String m = "/v1/groups/" + gid + "/messages";
        assertEquals(202, send(t, gid, "kept", "accepted before the attacks").statusCode());

        String nested = "[".repeat(20_000) + "]".repeat(20_000);
        assertErrorMentions(call(HttpMethod.POST, m, t, "{\"source_guid\":\"deep\",\"text\":" + nested + "}"),
                400, "malformed_json", "nested deeper");
        // nesting in an extra field is refused for its depth before its name is even looked at
        assertErrorMentions(call(HttpMethod.POST, m, t, "{\"source_guid\":\"deep\",\"text\":\"hi\",\"x\":" + "{\"a\":".repeat(50) + "1"
                + "}".repeat(50) + "}"), 400, "malformed_json", "nested deeper");
        assertErrorMentions(call(HttpMethod.POST, m, t, "{\"source_guid\":\"dk\",\"text\":\"first\",\"text\":\"second\"}"),
                400, "malformed_json", "twice", "text");
        assertErrorMentions(call(HttpMethod.POST, m, t, "{\"source_guid\":\"tr\",\"text\":\"hi\"}{\"text\":\"smuggled\"}"),
                400, "malformed_json", "after the JSON");
        Buffer notUtf8 = Buffer.buffer("{\"source_guid\":\"u\",\"text\":\"").appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF})
                .appendString("\"}");
        assertErrorMentions(postRaw(m, t, notUtf8), 400, "malformed_json", "UTF-8");
        Buffer overlong = Buffer.buffer("{\"source_guid\":\"o\",\"text\":\"").appendBytes(new byte[] {(byte) 0xC0, (byte) 0xAF})
                .appendString("\"}");
        assertErrorMentions(postRaw(m, t, overlong), 400, "malformed_json", "UTF-8");
        Buffer utf16 = Buffer.buffer(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'});
        assertError(postRaw(m, t, utf16), 400, "malformed_json");
        assertErrorMentions(call(HttpMethod.POST, m, t, "{\"source_guid\":\"n\",\"text\":\"null \\u0000 byte\"}"),
                400, "invalid_request", "control");
        assertErrorMentions(send(t, gid, "esc", "bell \u0007 and escape \u001b[31m"), 400, "invalid_request", "control");
        assertErrorMentions(send(t, gid, "lone", "half an emoji \ud83d"), 400, "invalid_request", "surrogate");
        assertErrorMentions(send(t, gid, "g\u0000uid", "hi"), 400, "invalid_request", "source_guid", "control");
        assertErrorMentions(send(t, gid, "line\nbreak", "hi"), 400, "invalid_request", "source_guid");

        List<JsonObject> messages = mailboxMessages(gid);
        assertEquals(1, messages.size());
        assertEquals("accepted before the attacks", messages.get(0).getString("text"));
    }

    @Test
    void hugeStringsAreRefusedWithoutBeingEchoed() {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        String huge = "A".repeat(60_000);
        HttpResponse<Buffer> r = send(t, gid, "huge", huge);
        assertErrorMentions(r, 400, "invalid_request", "text", "1000");
        assertTrue(r.bodyAsString().length() < 500, "the error does not repeat the input");
        HttpResponse<Buffer> name = call(HttpMethod.POST, "/v1/users", ADMIN, new JsonObject().put("name", huge));
        assertErrorMentions(name, 400, "invalid_request", "name");
        assertTrue(name.bodyAsString().length() < 500);
        HttpResponse<Buffer> guid = send(t, gid, huge, "hi");
        assertErrorMentions(guid, 400, "invalid_request", "source_guid");
        assertEquals(0, mailboxDepth(gid));
    }

    @Test
    void scriptAndSqlLikeTextIsStoredVerbatimAndAnsweredEscaped() {
        assertTrue(SCRIPTY.length() <= 100, "length " + SCRIPTY.length());
        HttpResponse<Buffer> created = call(HttpMethod.POST, "/v1/users", ADMIN, new JsonObject().put("name", SCRIPTY));
        assertEquals(201, created.statusCode(), created.bodyAsString());
        String raw = created.bodyAsString();
        assertFalse(raw.contains("<script>"), raw);
        assertTrue(raw.contains("\\u003Cscript\\u003E") || raw.contains("\\u003cscript\\u003e"), raw);
        assertEquals("nosniff", created.getHeader("x-content-type-options"));
        JsonObject user = created.bodyAsJsonObject();
        assertEquals(SCRIPTY, user.getString("name"), "the value survives the escaping");
        String stored = await(redis.send(Request.cmd(Command.HGET).arg(Keys.user(user.getString("id"))).arg("name"))).toString();
        assertEquals(SCRIPTY, stored);

        String t = user.getString("token");
        HttpResponse<Buffer> g = call(HttpMethod.POST, "/v1/groups", t, new JsonObject().put("name", SCRIPTY));
        assertEquals(201, g.statusCode(), g.bodyAsString());
        assertFalse(g.bodyAsString().contains("<script>"));
        String gid = g.bodyAsJsonObject().getString("id");
        assertEquals(SCRIPTY, call(HttpMethod.GET, "/v1/groups/" + gid, t, null).bodyAsJsonObject().getString("name"));
        String storedGroup = await(redis.send(Request.cmd(Command.HGET).arg(Keys.group(new Shards(SHARDS).of(gid), gid)).arg("name"))).toString();
        assertEquals(SCRIPTY, storedGroup);

        assertEquals(202, send(t, gid, "'; DROP TABLE messages; --", SCRIPTY).statusCode());
        JsonObject message = mailboxMessages(gid).get(0);
        assertEquals(SCRIPTY, message.getString("text"));
        assertEquals("'; DROP TABLE messages; --", message.getString("source_guid"));
        // the guid is part of a Redis key: braces and colons in it do not move it to another slot or sender
        assertEquals(202, send(t, gid, "{s3}:guid:u_other:x", "tagged").statusCode());
        assertEquals(2, mailboxDepth(gid));
    }

    @Test
    void pathAndHeaderTricksAreRefusedCleanly() {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        for (String path : List.of("/v1/groups/..%2F..%2Fetc%2Fpasswd", "/v1/groups/%00", "/v1/groups/g%20x",
                "/v1/groups/" + gid + "%2Fmembers", "/v1/groups/{s1}", "/v1/groups/" + "a".repeat(65),
                "/v1//groups/" + gid, "/v1/groups/" + gid + "/../" + gid)) {
            HttpResponse<Buffer> r = call(HttpMethod.GET, path, t, null);
            assertTrue(r.statusCode() == 400 || r.statusCode() == 404 || r.statusCode() == 200, path + " -> " + r.statusCode());
            if (r.statusCode() != 200) {
                assertError(r, r.statusCode(), null);
            }
        }
        assertErrorMentions(call(HttpMethod.GET, "/v1/groups/" + "a".repeat(65), t, null), 400, "invalid_request", "id", "64");
        assertErrorMentions(call(HttpMethod.POST, "/v1/groups/" + gid + "/members", t, new JsonObject().put("user_id", "u_x:{s1}")),
                400, "invalid_request", "user_id");
        assertErrorMentions(call(HttpMethod.DELETE, "/v1/groups/" + gid + "/members/u_x%7Bs1%7D", t, null),
                400, "invalid_request", "userId");
        HttpResponse<Buffer> longHeader = await(http.get(gateway.port(), "127.0.0.1", "/v1/groups/" + gid)
                .putHeader("authorization", "Bearer " + "x".repeat(5000)).send());
        assertError(longHeader, 401, "unauthorized");
    }

    private static HttpResponse<Buffer> typed(String path, String token, String contentType, String body) {
        return await(http.post(gateway.port(), "127.0.0.1", path).putHeader("authorization", "Bearer " + token)
                .putHeader("content-type", contentType).sendBuffer(Buffer.buffer(body)));
    }

    @Test
    void onlyApplicationJsonIsReadAndDuplicateKeysAreRefusedUnderEveryType() {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        String m = "/v1/groups/" + gid + "/messages";
        String twice = "{\"source_guid\":\"dk\",\"text\":\"first\",\"text\":\"second\"}";
        // a look-alike type used to skip the strict check: the last "text" won
        for (String type : List.of("application/jsonx", "application/vnd.api+json", "application/json-patch+json", "text/json",
                "application/json; charset=iso-8859-1", "application/json; boundary=x", "application/json, text/plain")) {
            assertErrorMentions(typed(m, t, type, twice), 415, "unsupported_media_type", "application/json");
        }
        for (String type : List.of("application/json", "Application/JSON", "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"")) {
            assertErrorMentions(typed(m, t, type, twice), 400, "malformed_json", "twice", "text");
        }
        assertEquals(202, typed(m, t, "application/json; charset=\"utf-8\"", "{\"source_guid\":\"ok\",\"text\":\"hi\"}").statusCode());
        // everywhere: user, group, member and device bodies too
        assertErrorMentions(typed("/v1/groups", t, "application/json", "{\"name\":\"a\",\"name\":\"b\"}"), 400, "malformed_json", "twice");
        assertErrorMentions(typed("/v1/devices", t, "application/json", "{\"platform\":\"fcm\",\"token\":\"a\",\"token\":\"b\"}"),
                400, "malformed_json", "twice");
        assertErrorMentions(typed("/v1/groups/" + gid + "/members", t, "application/json", "{\"user_id\":\"u_a\",\"user_id\":\"u_b\"}"),
                400, "malformed_json", "twice");
        assertErrorMentions(typed("/v1/users", ADMIN, "application/json", "{\"name\":\"a\",\"name\":\"b\"}"), 400, "malformed_json", "twice");
        assertEquals(1, mailboxDepth(gid));
    }

    @Test
    void aHugeNumberIsRefusedForItsLength() {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        String m = "/v1/groups/" + gid + "/messages";
        // was refused as "nested deeper than 8 levels"
        assertErrorMentions(call(HttpMethod.POST, m, t, "{\"source_guid\":\"n\",\"text\":" + "9".repeat(1001) + "}"),
                400, "malformed_json", "number", "1000 digits");
        assertErrorMentions(call(HttpMethod.POST, m, t, "{\"source_guid\":\"n\",\"text\":\"hi\",\"x\":0." + "1".repeat(1001) + "}"),
                400, "malformed_json", "number", "1000 digits");
        // a long number within the limit is only of the wrong type
        assertErrorMentions(call(HttpMethod.POST, m, t, "{\"source_guid\":\"n\",\"text\":" + "9".repeat(999) + "}"),
                400, "invalid_request", "text", "string");
        assertEquals(0, mailboxDepth(gid));
    }
}
