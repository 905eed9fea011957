package io.groupwire.sms.twilio;

import io.groupwire.core.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of {@link TwilioSmsClient}, read from the environment by {@link #fromEnv}:
 * <ul>
 *   <li>{@code GROUPWIRE_TWILIO_BASE_URL} ({@code https://api.twilio.com}): scheme, host, port and an
 *       optional path prefix of the Messages API; the sandbox's address in local runs</li>
 *   <li>{@code GROUPWIRE_TWILIO_ACCOUNT_SID} (required): the account, also the basic-auth user</li>
 *   <li>{@code GROUPWIRE_TWILIO_AUTH_TOKEN} (required, secret: the variable or a file named by
 *       {@code GROUPWIRE_TWILIO_AUTH_TOKEN_FILE}): the basic-auth password</li>
 *   <li>{@code GROUPWIRE_TWILIO_FROM} (required): the E.164 sender number</li>
 *   <li>{@code GROUPWIRE_TWILIO_TIMEOUT} (10s): the whole budget of one request, from asking for a
 *       connection to the last byte of the answer</li>
 *   <li>{@code GROUPWIRE_TWILIO_MAX_INFLIGHT} (64): requests in progress at once, and the size of the
 *       connection pool; a send beyond it is answered "retry later" at once</li>
 *   <li>{@code GROUPWIRE_TWILIO_AUTH_RETRY} (60s): how long the whole channel waits after Twilio
 *       rejected the credentials (401/403), so that a bad token does not hammer the API</li>
 * </ul>
 * {@link #toString()} never shows the auth token.
 */
public record TwilioSettings(URI baseUrl, String accountSid, String authToken, String from, Duration timeout,
                             int maxInFlight, Duration authRetryDelay) {
    public static final String DEFAULT_BASE_URL = "https://api.twilio.com";

    private static final Pattern SID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    public TwilioSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null
                || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null || baseUrl.getRawUserInfo() != null) {
            // credentials belong in the account sid and token settings, never in a URL that gets logged
            throw new IllegalArgumentException("the Twilio base URL must be http(s)://host[:port][/prefix]");
        }
        if (accountSid == null || !SID.matcher(accountSid).matches()) {
            throw new IllegalArgumentException("the Twilio account sid must be 1-64 letters, digits or dashes");
        }
        if (authToken == null || authToken.isEmpty()) {
            throw new IllegalArgumentException("the Twilio auth token is required");
        }
        if (from == null || !E164.matcher(from).matches()) {
            throw new IllegalArgumentException("the Twilio sender must be an E.164 number such as +15005550006");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() > 600_000) {
            throw new IllegalArgumentException("the Twilio timeout must be between 1ms and 10m");
        }
        if (maxInFlight < 1 || maxInFlight > 10_000) {
            throw new IllegalArgumentException("the Twilio max in-flight must be between 1 and 10000");
        }
        if (authRetryDelay == null || authRetryDelay.isNegative()) {
            throw new IllegalArgumentException("the Twilio auth retry delay must not be negative");
        }
    }

    /** Reads the settings; a missing or invalid variable fails with its name in the message. */
    public static TwilioSettings fromEnv(Env env) {
        String base = env.string("GROUPWIRE_TWILIO_BASE_URL", DEFAULT_BASE_URL);
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment variable GROUPWIRE_TWILIO_BASE_URL is not a URL", e);
        }
        String sid = required(env.optional("GROUPWIRE_TWILIO_ACCOUNT_SID"), "GROUPWIRE_TWILIO_ACCOUNT_SID");
        String token = required(env.secret("GROUPWIRE_TWILIO_AUTH_TOKEN"), "GROUPWIRE_TWILIO_AUTH_TOKEN");
        String from = required(env.optional("GROUPWIRE_TWILIO_FROM"), "GROUPWIRE_TWILIO_FROM");
        try {
            return new TwilioSettings(uri, sid, token, from,
                    env.duration("GROUPWIRE_TWILIO_TIMEOUT", Duration.ofSeconds(10)),
                    env.integer("GROUPWIRE_TWILIO_MAX_INFLIGHT", 64),
                    env.duration("GROUPWIRE_TWILIO_AUTH_RETRY", Duration.ofSeconds(60)));
        } catch (IllegalArgumentException e) {
            // the record's messages name the setting, never its value
            throw new IllegalArgumentException("GROUPWIRE_TWILIO_*: " + e.getMessage(), e);
        }
    }

    private static String required(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + name + " is required");
        }
        return value;
    }

    /** The same settings with another timeout (tests, and the sandbox's short local budgets). */
    public TwilioSettings withTimeout(Duration newTimeout) {
        return new TwilioSettings(baseUrl, accountSid, authToken, from, newTimeout, maxInFlight, authRetryDelay);
    }

    /** The same settings with another auth token. */
    public TwilioSettings withAuthToken(String newToken) {
        return new TwilioSettings(baseUrl, accountSid, newToken, from, timeout, maxInFlight, authRetryDelay);
    }

    /** The same settings with another in-flight bound. */
    public TwilioSettings withMaxInFlight(int newMax) {
        return new TwilioSettings(baseUrl, accountSid, authToken, from, timeout, newMax, authRetryDelay);
    }

    @Override
    public String toString() {
        return "TwilioSettings[baseUrl=" + baseUrl + ", accountSid=" + accountSid + ", authToken=***, from=" + from
                + ", timeout=" + timeout + ", maxInFlight=" + maxInFlight + ", authRetryDelay=" + authRetryDelay + "]";
    }
}
