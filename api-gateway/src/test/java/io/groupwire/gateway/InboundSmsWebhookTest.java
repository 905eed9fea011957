package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.inbound.TwilioSignature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Twilio's inbound webhook on a real gateway: signature first, then routing by reply number, keywords and refusals. */
class InboundSmsWebhookTest extends GatewayTestSupport {
    static final String TOKEN = "twilio-auth-token-for-tests";
    static final String BASE = "https://gw.example.com";
    static final String N1 = "+15550100100";
    static final String N2 = "+15550100101";
    static GatewayService inbound;

    @BeforeAll
    static void startInbound() {
        inbound = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_SMS_NUMBERS", N1 + "," + N2,
                "GROUPWIRE_TWILIO_AUTH_TOKEN", TOKEN, "GROUPWIRE_PUBLIC_BASE_URL", BASE + "/"))));
    }

    @AfterAll
    static void stopInbound() {
        await(inbound.stop());
    }

    static HttpResponse<Buffer> webhook(String from, String to, String body, String sid, String key) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("MessageSid", List.of(sid));
        form.put("From", List.of(from));
        form.put("To", List.of(to));
        form.put("Body", List.of(body));
        form.put("NumMedia", List.of("0"));
        StringBuilder b = new StringBuilder();
        form.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v.get(0), StandardCharsets.UTF_8)));
        return await(http.request(HttpMethod.POST, inbound.port(), "127.0.0.1", "/v1/inbound/sms/twilio")
                .putHeader("content-type", "application/x-www-form-urlencoded")
                .putHeader("X-Twilio-Signature", TwilioSignature.sign(key, BASE + "/v1/inbound/sms/twilio", form))
                .sendBuffer(Buffer.buffer(b.toString())));
    }

    @Test
    void aReplyToTheMembersNumberEntersTheGroupOnceAndKeywordsAreAnswered() {
        JsonObject alice = user("Alice", null);
        JsonObject carol = user("Carol", "+15551230003");
        String g = group(alice.getString("token"), carol.getString("id")).getString("id");
        HttpResponse<Buffer> view = call(inbound, HttpMethod.GET, "/v1/groups/" + g, carol.getString("token"), null);
        assertEquals(N1, view.bodyAsJsonObject().getString("reply_number"), view.bodyAsString());

        assertEquals(403, webhook("+15551230003", N1, "forged", "SM1", "wrong-token").statusCode());
        assertEquals(0, mailboxDepth(g), "a forged text changes nothing");

        HttpResponse<Buffer> ok = webhook("+15551230003", N1, "On my way", "SM2", TOKEN);
        assertEquals(200, ok.statusCode(), ok.bodyAsString());
        assertTrue(ok.bodyAsString().endsWith("<Response/>"), ok.bodyAsString());
        assertEquals(200, webhook("+15551230003", N1, "On my way", "SM2", TOKEN).statusCode(), "Twilio's retry");
        assertEquals(1, mailboxDepth(g), "one message for two deliveries of the same MessageSid");
        assertEquals("On my way", mailboxMessages(g).get(0).getString("text"));
        assertEquals(carol.getString("id"), mailboxMessages(g).get(0).getString("sender_id"));

        // authentic refusals: 200, nothing stored
        assertEquals(200, webhook("+15559999999", N1, "who?", "SM3", TOKEN).statusCode());
        assertEquals(200, webhook("+15551230003", N2, "wrong number", "SM4", TOKEN).statusCode());
        assertEquals(200, webhook("+15551230003", "+15550000000", "not ours", "SM5", TOKEN).statusCode());
        assertEquals(200, webhook("+15551230003", N1, "   ", "SM6", TOKEN).statusCode());
        assertEquals(1, mailboxDepth(g));

        String stop = webhook("+15551230003", N1, " stop ", "SM7", TOKEN).bodyAsString();
        assertTrue(stop.contains("<Message>") && stop.contains("START"), stop);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
                webhook("+15551230003", N1, "STOP", "SM8", TOKEN).bodyAsString(), "one confirmation only");
        assertTrue(webhook("+15551230003", N1, "HELP", "SM9", TOKEN).bodyAsString().contains("STOP"));
        assertTrue(webhook("+15551230003", N1, "Start", "SM10", TOKEN).bodyAsString().contains("<Message>"));
        assertTrue(webhook("+15551230003", N1, "MUTE", "SM11", TOKEN).bodyAsString().contains("muted"));
        assertEquals(1, mailboxDepth(g), "keywords are not group messages");
    }
}
