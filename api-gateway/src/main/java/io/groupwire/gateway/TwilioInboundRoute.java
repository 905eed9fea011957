package io.groupwire.gateway;

import io.groupwire.core.inbound.InboundOutcome;
import io.groupwire.core.inbound.InboundTexts;
import io.groupwire.core.inbound.TwilioSignature;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/inbound/sms/twilio}: Twilio's inbound-message webhook. The signature is checked
 * first (403, nothing else read, when it does not match); then (From, To) finds the sender and the
 * group and the text goes through {@link InboundTexts}, with MessageSid as source_guid. Answers 200
 * with TwiML once Redis holds the message, and also for authentic texts that are refused (Twilio must
 * not retry those; each refusal is counted by reason) or that were keywords (the TwiML then carries the
 * answer, which Twilio sends back from the same number); 503 with Retry-After when Redis or the mailbox
 * cannot take it. It sits outside the OpenAPI router: Twilio sends a form, not JSON, and signs instead of
 * presenting a bearer token.
 */
final class TwilioInboundRoute {
    static final String PATH = "/v1/inbound/sms/twilio";
    private static final String EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private final InboundTexts texts;
    private final InboundSettings settings;
    private final RedisGuard guard;
    private final MeterRegistry registry;

    TwilioInboundRoute(InboundTexts texts, InboundSettings settings, RedisGuard guard, MeterRegistry registry) {
        this.texts = texts;
        this.settings = settings;
        this.guard = guard;
        this.registry = registry;
    }

    void mount(Router root) {
        root.post(PATH).handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String name : form.names()) {
            params.put(name, new ArrayList<>(form.getAll(name)));
        }
        String query = ctx.request().query();
        String url = settings.publicBaseUrl() + ctx.request().path() + (query == null ? "" : "?" + query);
        if (!TwilioSignature.valid(settings.authToken(), url, params, ctx.request().getHeader("X-Twilio-Signature"))) {
            count("forbidden", "bad_signature");
            ctx.fail(ApiException.forbidden("the X-Twilio-Signature does not match this request"));
            return;
        }
        String from = form.get("From");
        String to = form.get("To");
        String sid = form.get("MessageSid");
        if (from == null || to == null || sid == null || sid.isEmpty()) {
            // authentic but not an inbound message: Twilio must not retry it
            count("refused", "missing_fields");
            twiml(ctx, null);
            return;
        }
        guard.call(texts.receive(from, to, form.get("Body"), "twilio:" + sid)).onSuccess(o -> {
            switch (o.kind()) {
                case ACCEPTED -> {
                    count("accepted", "");
                    twiml(ctx, null);
                }
                case KEYWORD -> {
                    count("keyword", o.reason().toLowerCase());
                    twiml(ctx, o.reply());
                }
                case REFUSED -> {
                    count("refused", o.reason());
                    twiml(ctx, null);
                }
                case BUSY -> {
                    count("busy", o.reason());
                    ctx.fail(new ApiException(503, "busy", "delivery is backed up; retry shortly",
                            MessageHandlers.BUSY_RETRY_AFTER_SECONDS));
                }
            }
        }).onFailure(e -> {
            count("busy", "redis");
            ctx.fail(e);
        });
    }

    private void count(String outcome, String reason) {
        registry.counter("groupwire.inbound.sms", "outcome", outcome, "reason", reason).increment();
    }

    private static void twiml(RoutingContext ctx, String reply) {
        String body = reply == null ? EMPTY
                : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>" + escape(reply) + "</Message></Response>";
        ctx.response().putHeader("content-type", "text/xml; charset=utf-8").setStatusCode(200).end(body);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
