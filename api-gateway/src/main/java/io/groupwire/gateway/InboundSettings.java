package io.groupwire.gateway;

import io.groupwire.core.config.Env;
import io.groupwire.core.reply.NumberPool;

/**
 * What the inbound SMS webhook needs; the webhook is mounted only when all of it is configured.
 *
 * <ul>
 *   <li>{@code GROUPWIRE_SMS_NUMBERS} (or {@code _FILE}): the pool of reply numbers</li>
 *   <li>{@code GROUPWIRE_TWILIO_AUTH_TOKEN} (or {@code _FILE}): the key of Twilio's signatures</li>
 *   <li>{@code GROUPWIRE_PUBLIC_BASE_URL}: the gateway's URL as Twilio calls it (a proxy rewrites the
 *       host, so it cannot be taken from the request), e.g. {@code https://api.example.com}</li>
 *   <li>{@code GROUPWIRE_SMS_HELP_TEXT}: the answer to HELP</li>
 * </ul>
 *
 * @param pool          the pool, or null
 * @param authToken     the auth token, or null
 * @param publicBaseUrl the public base URL without a trailing slash, or null
 * @param helpText      the answer to HELP
 */
public record InboundSettings(NumberPool pool, String authToken, String publicBaseUrl, String helpText) {
    /** The default answer to HELP. */
    public static final String DEFAULT_HELP = "Groupwire group texts. Reply STOP to stop all texts, MUTE to mute this group, START to resume.";

    public static InboundSettings fromEnv(Env env) {
        String base = env.optional("GROUPWIRE_PUBLIC_BASE_URL");
        if (base != null && base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return new InboundSettings(NumberPool.fromEnv(env, null), env.secret("GROUPWIRE_TWILIO_AUTH_TOKEN"), base,
                env.string("GROUPWIRE_SMS_HELP_TEXT", DEFAULT_HELP));
    }

    /** Whether the webhook can verify and route texts. */
    public boolean webhookEnabled() {
        return pool != null && authToken != null && publicBaseUrl != null;
    }

    @Override
    public String toString() {
        return "InboundSettings[pool=" + (pool == null ? "none" : pool.numbers().size() + " numbers")
                + ", authToken=" + (authToken == null ? "none" : "(secret)") + ", publicBaseUrl=" + publicBaseUrl + "]";
    }
}
