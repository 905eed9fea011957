package io.groupwire.sandbox.twilio;

import io.groupwire.core.inbound.TwilioSignature;
import io.groupwire.sandbox.ReceivedDelivery;
import io.groupwire.sandbox.ReceivedLog;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox playing the carrier for texts a phone sends: {@code POST /sandbox/sms/inbound
 * {"from", "to", "text"}} posts Twilio's inbound-message webhook to the gateway, signed with the
 * sandbox's auth token as Twilio signs it, and answers with the gateway's status and TwiML. A
 * {@code <Message>} in the TwiML (the answer to STOP, HELP...) is "delivered" to the phone: it goes into
 * the received log as an SMS from the number the phone texted.
 */
public final class InboundCarrier {
    /** Where Twilio posts inbound texts on the gateway. */
    public static final String WEBHOOK_PATH = "/v1/inbound/sms/twilio";
    private static final Pattern MESSAGE = Pattern.compile("<Message>(.*?)</Message>", Pattern.DOTALL);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final String gatewayUrl;
    private final String authToken;
    private final ReceivedLog log;

    public InboundCarrier(Vertx vertx, String gatewayUrl, String authToken, ReceivedLog log) {
        this.http = vertx.createHttpClient();
        this.gatewayUrl = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        this.authToken = authToken;
        this.log = log;
    }

    public void mount(Router router) {
        router.post("/sandbox/sms/inbound").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::send);
    }

    private void send(RoutingContext ctx) {
        JsonObject in;
        try {
            in = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            in = null;
        }
        if (in == null || !(in.getValue("from") instanceof String from) || !(in.getValue("to") instanceof String to)
                || !(in.getValue("text") instanceof String text)) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "bad_request").put("message", "give from, to and text as strings").encode());
            return;
        }
        String sid = in.getString("message_sid", "SM" + HexFormat.of().formatHex(randomBytes()));
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("MessageSid", List.of(sid));
        form.put("SmsSid", List.of(sid));
        form.put("AccountSid", List.of("ACsandbox"));
        form.put("From", List.of(from));
        form.put("To", List.of(to));
        form.put("Body", List.of(text));
        form.put("NumMedia", List.of("0"));
        String url = gatewayUrl + WEBHOOK_PATH;
        String signature = TwilioSignature.sign(authToken, url, form);
        StringBuilder body = new StringBuilder();
        form.forEach((k, vs) -> vs.forEach(v -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                        .putHeader("content-type", "application/x-www-form-urlencoded")
                        .putHeader("X-Twilio-Signature", signature))
                .compose(req -> req.send(Buffer.buffer(body.toString())))
                .compose(resp -> resp.body().map(b -> new JsonObject().put("status", resp.statusCode())
                        .put("message_sid", sid).put("body", b.toString())))
                .onSuccess(answer -> {
                    Matcher m = MESSAGE.matcher(answer.getString("body"));
                    if (answer.getInteger("status") == 200 && m.find()) {
                        log.record(new ReceivedDelivery("sms", from, null, unescape(m.group(1)), System.currentTimeMillis(), to));
                    }
                    ctx.response().putHeader("content-type", "application/json").end(answer.encode());
                })
                .onFailure(e -> ctx.response().setStatusCode(502).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "gateway_unreachable").put("message", e.toString()).encode()));
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
