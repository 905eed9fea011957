package io.groupwire.sandbox.twilio;

import io.groupwire.core.sms.SmsEncoder;
import io.groupwire.sandbox.ReceivedDelivery;
import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A local stand-in for Twilio's Messages API, for tests and the all-in-one sandbox: one account
 * (sid and auth token), {@code POST /2010-04-01/Accounts/{sid}/Messages.json} checked and answered
 * the way Twilio does, every accepted message recorded in the shared {@link ReceivedLog} as
 * {@code ReceivedDelivery("sms", to, null, body, now)}.
 *
 * <p>What it checks, in order, once the body was read: basic auth (401, code 20003); the account
 * in the path (404, code 20404); that the body is a UTF-8 form ({@code application/x-www-form-urlencoded}
 * or no content type) of at most {@value #MAX_REQUEST_BYTES} bytes (400, code 20422, the sandbox's
 * code for an unreadable request); the faults of {@link SandboxFaults#decide decide("sms")} (500
 * code 20500, 429 code 20429 with {@code Retry-After}, or the connection closed); {@code To} (21211),
 * {@code From} (21603 missing, 21212 invalid), {@code Body} (21602 missing, 21617 over 1600
 * characters, 14103 control characters); then the numbers it was told are opted out (21610) or
 * not mobile (21614).
 * Every refusal is a Twilio-shaped JSON error {@code {"code","message","more_info","status"}};
 * hostile input never gets a 500. A fault's latency delays whatever follows the fault decision.
 *
 * <p>Thread-safe; the opt-out and not-mobile lists can change while it serves.
 */
public final class TwilioSandbox {
    /** The largest request body read; a Messages request with a 1600-character body fits easily. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Twilio's limit on a message body, in characters (code points). */
    public static final int MAX_BODY_CHARS = 1600;
    /** Past this many bytes of an oversized body the connection is closed instead of drained. */
    public static final long MAX_DRAINED_BYTES = 32L * 1024 * 1024;
    /** The sender number {@link #clientEnvironment} hands out (Twilio's magic test number). */
    public static final String DEFAULT_FROM = "+15005550006";

    private static final String CHANNEL = "sms";
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final ReceivedLog log;
    private final SandboxFaults faults;
    private final String accountSid;
    private final byte[] expectedAuth;
    private final String authToken;
    private final SmsEncoder encoder = SmsEncoder.standard();
    private final Clock clock;
    private final Set<String> optedOut = ConcurrentHashMap.newKeySet();
    private final Set<String> notMobile = ConcurrentHashMap.newKeySet();

    private TwilioSandbox(ReceivedLog log, SandboxFaults faults, String accountSid, String authToken, Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.accountSid = Objects.requireNonNull(accountSid, "accountSid");
        this.authToken = Objects.requireNonNull(authToken, "authToken");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!accountSid.matches("[A-Za-z0-9-]{1,64}") || authToken.isEmpty()) {
            throw new IllegalArgumentException("the sandbox account sid must be 1-64 letters, digits or dashes, and the token non-empty");
        }
        this.expectedAuth = (accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8);
    }

    /** A sandbox with a fresh random account sid ({@code AC} + 32 hex digits) and auth token. */
    public static TwilioSandbox create(ReceivedLog log, SandboxFaults faults) {
        return create(log, faults, "AC" + randomHex(16), randomHex(16));
    }

    /** A sandbox that accepts exactly these credentials. */
    public static TwilioSandbox create(ReceivedLog log, SandboxFaults faults, String accountSid, String authToken) {
        return new TwilioSandbox(log, faults, accountSid, authToken, Clock.systemUTC());
    }

    /** As {@link #create(ReceivedLog, SandboxFaults, String, String)}, stamping receipts with this clock. */
    public static TwilioSandbox create(ReceivedLog log, SandboxFaults faults, String accountSid, String authToken,
                                       Clock clock) {
        return new TwilioSandbox(log, faults, accountSid, authToken, clock);
    }

    public String accountSid() {
        return accountSid;
    }

    /**
     * The variables that point a Twilio client in this process at this sandbox served at
     * {@code baseUrl} (for example {@code http://127.0.0.1:8090}): this account's sid and auth token
     * and sender {@value #DEFAULT_FROM}; the client's other settings keep their defaults.
     */
    public Map<String, String> clientEnvironment(String baseUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GROUPWIRE_TWILIO_BASE_URL", baseUrl);
        env.put("GROUPWIRE_TWILIO_ACCOUNT_SID", accountSid);
        env.put("GROUPWIRE_TWILIO_AUTH_TOKEN", authToken);
        env.put("GROUPWIRE_TWILIO_FROM", DEFAULT_FROM);
        return env;
    }

    /** From now on, messages to this number are refused with 21610 (the recipient replied STOP). */
    public void optOut(String number) {
        optedOut.add(number);
    }

    /** Undoes {@link #optOut} (the recipient replied START). */
    public void optIn(String number) {
        optedOut.remove(number);
    }

    /** From now on, messages to this number are refused with 21614 (a landline). */
    public void markNotMobile(String number) {
        notMobile.add(number);
    }

    /**
     * Adds the Messages endpoint to the router. The endpoint reads the request body itself, so no
     * router-wide handler may go asynchronous before it; a router-wide BodyHandler is tolerated (its
     * body is used, and its refusals are answered in Twilio's shape), but its form limits then apply.
     */
    public void mount(Router router) {
        router.post("/2010-04-01/Accounts/:AccountSid/Messages.json")
                .handler(ctx -> BoundedRequestBody.read(ctx, MAX_REQUEST_BYTES, MAX_DRAINED_BYTES, body -> handle(ctx, body)))
                .failureHandler(this::failure);
    }

    private void handle(RoutingContext ctx, BoundedRequestBody.Result body) {
        if (!authenticated(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
            error(ctx, 0, 401, TwilioErrorCodes.AUTHENTICATE, "Authenticate");
            return;
        }
        if (!accountSid.equals(ctx.pathParam("AccountSid"))) {
            error(ctx, 0, 404, TwilioErrorCodes.NOT_FOUND, "The requested resource was not found");
            return;
        }
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null
                && !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            error(ctx, 0, 400, TwilioErrorCodes.UNREADABLE_REQUEST,
                    "Content-Type must be application/x-www-form-urlencoded");
            return;
        }
        if (body.tooLarge()) {
            error(ctx, 0, 400, TwilioErrorCodes.UNREADABLE_REQUEST,
                    "The request body is larger than " + MAX_REQUEST_BYTES + " bytes.");
            return;
        }
        Map<String, List<String>> form;
        try {
            form = FormBody.parse(body.bytes());
        } catch (FormBody.MalformedFormException e) {
            error(ctx, 0, 400, TwilioErrorCodes.UNREADABLE_REQUEST, e.getMessage());
            return;
        }
        SandboxFaults.FaultSpec spec = faults.get(CHANNEL);
        int latency = spec.latencyMillis();
        switch (faults.decide(CHANNEL)) {
            case DROP -> later(ctx, latency, () -> ctx.request().connection().close());
            case ERROR -> error(ctx, latency, 500, TwilioErrorCodes.INTERNAL_ERROR, "Internal Server Error");
            case THROTTLE -> {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(spec.retryAfterSeconds()));
                error(ctx, latency, 429, TwilioErrorCodes.TOO_MANY_REQUESTS, "Too Many Requests");
            }
            case ACCEPT -> create(ctx, latency, form);
        }
    }

    private void create(RoutingContext ctx, int latency, Map<String, List<String>> form) {
        List<String> tos = form.getOrDefault("To", List.of());
        List<String> froms = form.getOrDefault("From", List.of());
        List<String> bodies = form.getOrDefault("Body", List.of());
        if (tos.size() != 1 || !E164.matcher(tos.get(0)).matches()) {
            error(ctx, latency, 400, TwilioErrorCodes.INVALID_TO, tos.size() > 1
                    ? "The 'To' parameter must be given once."
                    : "The 'To' number is not a valid phone number (E.164, such as +15551234567).");
            return;
        }
        if (froms.isEmpty() || froms.get(0).isEmpty()) {
            error(ctx, latency, 400, TwilioErrorCodes.FROM_REQUIRED, "A 'From' phone number is required.");
            return;
        }
        if (froms.size() > 1 || !E164.matcher(froms.get(0)).matches()) {
            error(ctx, latency, 400, TwilioErrorCodes.INVALID_FROM, "The 'From' number is not a valid phone number.");
            return;
        }
        if (bodies.isEmpty() || bodies.get(0).isEmpty()) {
            error(ctx, latency, 400, TwilioErrorCodes.BODY_REQUIRED, "Message body is required.");
            return;
        }
        String body = bodies.get(0);
        if (bodies.size() > 1) {
            error(ctx, latency, 400, TwilioErrorCodes.INVALID_BODY, "The 'Body' parameter must be given once.");
            return;
        }
        if (body.codePointCount(0, body.length()) > MAX_BODY_CHARS) {
            error(ctx, latency, 400, TwilioErrorCodes.BODY_TOO_LONG,
                    "The concatenated message body exceeds the " + MAX_BODY_CHARS + " character limit.");
            return;
        }
        if (hasControlCharacters(body)) {
            error(ctx, latency, 400, TwilioErrorCodes.INVALID_BODY,
                    "The message body contains control characters other than tab, newline, carriage return and form feed.");
            return;
        }
        String to = tos.get(0);
        if (optedOut.contains(to)) {
            error(ctx, latency, 400, TwilioErrorCodes.OPTED_OUT, "Attempt to send to unsubscribed recipient");
            return;
        }
        if (notMobile.contains(to)) {
            error(ctx, latency, 400, TwilioErrorCodes.NOT_MOBILE, "'To' number is not a valid mobile number");
            return;
        }
        long now = clock.millis();
        // recorded before the (possibly delayed) answer: Twilio has the message once it accepted it,
        // whether or not the caller is still waiting for the answer
        log.record(new ReceivedDelivery(CHANNEL, to, null, body, now, froms.get(0)));
        String sid = "SM" + randomHex(16);
        JsonObject json = new JsonObject()
                .put("sid", sid)
                .put("account_sid", accountSid)
                .put("api_version", "2010-04-01")
                .put("status", "queued")
                .put("direction", "outbound-api")
                .put("to", to)
                .put("from", froms.get(0))
                .put("body", body)
                .put("num_segments", Integer.toString(encoder.segments(body)))
                .put("num_media", "0")
                .put("date_created", RFC_1123.format(java.time.Instant.ofEpochMilli(now)))
                .putNull("error_code")
                .putNull("error_message")
                .put("uri", "/2010-04-01/Accounts/" + accountSid + "/Messages/" + sid + ".json");
        respond(ctx, latency, 201, json);
    }

    private boolean authenticated(String header) {
        if (header == null || header.length() > 1024 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, expectedAuth);
    }

    /** C0 controls other than tab, LF, FF and CR, DEL, and C1 controls. */
    private static boolean hasControlCharacters(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r' || c >= 0x7F && c <= 0x9F) {
                return true;
            }
        }
        return false;
    }

    /**
     * A failure in this route: a BodyHandler mounted before it refused the body (4xx), or a bug
     * here. Either way the caller gets a Twilio-shaped answer rather than the router's default.
     */
    private void failure(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        int status = ctx.statusCode();
        if (status >= 400 && status < 500) {
            error(ctx, 0, 400, TwilioErrorCodes.UNREADABLE_REQUEST, "The request body could not be read.");
        } else {
            error(ctx, 0, 500, TwilioErrorCodes.INTERNAL_ERROR, "Internal Server Error");
        }
    }

    private void error(RoutingContext ctx, int latency, int status, int code, String message) {
        respond(ctx, latency, status, new JsonObject()
                .put("code", code)
                .put("message", message)
                .put("more_info", TwilioErrorCodes.moreInfo(code))
                .put("status", status));
    }

    private void respond(RoutingContext ctx, int latency, int status, JsonObject json) {
        later(ctx, latency, () -> {
            HttpServerResponse response = ctx.response();
            response.setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                    .end(json.encode());
        });
    }

    private static void later(RoutingContext ctx, int latency, Runnable action) {
        Runnable guarded = () -> {
            // the caller may have given up (timeout) while the fault's latency ran
            if (!ctx.response().ended() && !ctx.response().closed()) {
                action.run();
            }
        };
        if (latency <= 0) {
            guarded.run();
        } else {
            ctx.vertx().setTimer(latency, id -> guarded.run());
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
