package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.testing.RawHttp;
import io.groupwire.core.testing.RawHttp.Answer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A few hundred slow connections (slowloris heads, unfinished chunked bodies, slow bodies) do not
 * stop honest clients, whose requests are answered promptly meanwhile; the slow ones are answered
 * 408 and closed once the bound has passed, and one address holds only so many connections.
 */
class SlowClientsTest extends GatewayTestSupport {
    static final Duration BOUND = Duration.ofSeconds(2);
    static final int PER_ADDRESS = 100;
    /** Each kind of slow client, from its own address so that all of them are admitted. */
    static final int EACH = 100;

    @Test
    void slowClientsAreCutOffAndHonestOnesServed() throws Exception {
        GatewayService guarded = await(GatewayService.start(vertx, config(Map.of(
                "GROUPWIRE_HTTP_HEADER_TIMEOUT", BOUND.toMillis() + "ms", "GROUPWIRE_HTTP_BODY_TIMEOUT", BOUND.toMillis() + "ms",
                "GROUPWIRE_HTTP_MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(PER_ADDRESS)))));
        WebClient honest = WebClient.create(vertx, new WebClientOptions().setLocalAddress("127.0.0.2"));
        List<RawHttp> slow = new ArrayList<>();
        try {
            String t = user("Alice", null).getString("token");
            String gid = group(t).getString("id");
            int port = guarded.port();
            String post = "POST /v1/groups/" + gid + "/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + t
                    + "\r\nContent-Type: application/json\r\n";
            // a first send warms the honest client's connection up
            assertEquals(202, await(honest.post(port, "127.0.0.1", "/v1/groups/" + gid + "/messages").putHeader("authorization", "Bearer " + t)
                    .sendJsonObject(new JsonObject().put("source_guid", "warm-up").put("text", "first"))).statusCode());
            long start = System.nanoTime();
            for (int i = 0; i < EACH; i++) {
                RawHttp head = RawHttp.connect(port, "127.0.0.3");
                head.send("POST /v1/groups/" + gid + "/messages HTTP/1.1\r\nHost: x\r\n");
                RawHttp chunked = RawHttp.connect(port, "127.0.0.4");
                chunked.send(post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{\"\r\n");
                RawHttp body = RawHttp.connect(port, "127.0.0.5");
                body.send(post + "Content-Length: 40\r\n\r\n{\"source_guid\"");
                slow.addAll(List.of(head, chunked, body));
            }
            try (RawHttp extra = RawHttp.connect(port, "127.0.0.3")) {
                assertEquals(429, extra.answer(Duration.ofSeconds(2)).status(), "one connection too many from one address");
            }
            int sent = 0;
            while (System.nanoTime() - start < BOUND.toNanos() * 3 / 4) {
                for (int i = 0; i < slow.size(); i += 3) {
                    // every kind keeps trickling, never finishing
                    slow.get(i).send("X-Slow: 1\r\n");
                    slow.get(i + 1).send("1\r\na\r\n");
                    slow.get(i + 2).send(":");
                }
                long asked = System.nanoTime();
                HttpResponse<Buffer> r = await(honest.post(port, "127.0.0.1", "/v1/groups/" + gid + "/messages")
                        .putHeader("authorization", "Bearer " + t)
                        .sendJsonObject(new JsonObject().put("source_guid", "honest-" + sent).put("text", "still here")));
                assertEquals(202, r.statusCode(), r.bodyAsString());
                // promptly: well within the bound the slow ones are held to, so no honest send waited for them
                assertTrue(System.nanoTime() - asked < BOUND.toNanos() / 2, "an honest send is answered promptly");
                sent++;
                Thread.sleep(50);
            }
            assertTrue(sent >= 5, "honest sends went through: " + sent);
            int cut = 0;
            for (RawHttp c : slow) {
                Answer a = c.answer(BOUND.plusSeconds(3));
                assertEquals(408, a.status(), a.toString());
                assertTrue(c.closedWithin(Duration.ofSeconds(2)));
                cut++;
            }
            assertEquals(3 * EACH, cut);
            assertTrue(System.nanoTime() - start < BOUND.plusSeconds(4).toNanos(), "the slow ones are cut off soon after the bound");
            assertEquals(sent + 1, mailboxDepth(gid), "only the honest sends were accepted");
        } finally {
            for (RawHttp c : slow) {
                c.close();
            }
            honest.close();
            await(guarded.stop());
        }
    }
}
