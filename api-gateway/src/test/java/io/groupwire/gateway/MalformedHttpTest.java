package io.groupwire.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.testing.RawHttp;
import io.groupwire.core.testing.RawHttp.Answer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Requests no HTTP client sends, on the gateway's port: each gets a 4xx with the API's JSON error,
 * before authentication, and the messages accepted around them are kept.
 */
class MalformedHttpTest extends GatewayTestSupport {

    static Answer raw(String request) throws Exception {
        return RawHttp.exchange(gateway.port(), request, Duration.ofSeconds(5));
    }

    static void assertRefused(Answer a, int status, String code) {
        assertEquals(status, a.status(), a.toString());
        assertEquals(code, new JsonObject(a.body()).getJsonObject("error").getString("code"), a.toString());
    }

    @Test
    void malformedRequestsAre4xxNeverAServerError() throws Exception {
        String t = user("Alice", null).getString("token");
        String gid = group(t).getString("id");
        assertEquals(202, send(t, gid, "before", "accepted before").statusCode());
        String post = "POST /v1/groups/" + gid + "/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + t
                + "\r\nContent-Type: application/json\r\n";
        // was a 500 with a logged VertxException
        assertRefused(raw("GET /health HTTP/1.1\r\n\r\n"), 400, "bad_request");
        assertRefused(raw("GET /v1/groups/" + gid + " HTTP/1.1\r\nAuthorization: Bearer " + t + "\r\n\r\n"), 400, "bad_request");
        // was 501
        assertRefused(raw("GET /health HTTP/1.2\r\nHost: x\r\n\r\n"), 505, "http_version_not_supported");
        // was no answer at all, and a stack trace in the log
        assertRefused(raw(post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), 400, "bad_request");
        assertRefused(raw(post + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"source_guid\":\"c\"}\r\n0\r\n\r\n"), 400, "bad_request");
        assertRefused(raw("GET /health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"), 400, "bad_request");
        assertRefused(raw("GET /health HTTP/1.1\r\nHost: x\r\nX: " + "h".repeat(9000) + "\r\n\r\n"), 431, "headers_too_large");
        assertRefused(raw("GET /v1/groups/" + "g".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "uri_too_long");
        assertRefused(raw(post + "Content-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400, "bad_request");
        // a well-formed chunked send is still fine
        String body = "{\"source_guid\":\"chunked\",\"text\":\"hi\"}";
        Answer ok = raw(post + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
        assertEquals(202, ok.status(), ok.toString());
        assertEquals(2, mailboxDepth(gid));
        assertTrue(call(io.vertx.core.http.HttpMethod.GET, "/health", null, null).bodyAsString().contains("\"up\""));
    }
}
