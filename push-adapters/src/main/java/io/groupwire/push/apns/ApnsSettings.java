package io.groupwire.push.apns;

import io.groupwire.core.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the APNs client reaches Apple (or the sandbox) and signs its requests (token authentication
 * with a .p8 key). Read from the environment by {@link #fromEnv}:
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code GROUPWIRE_APNS_HOST}</td><td>{@code api.sandbox.push.apple.com}</td><td>APNs host;
 *     {@code api.push.apple.com} in production</td></tr>
 * <tr><td>{@code GROUPWIRE_APNS_PORT}</td><td>443</td><td>APNs port</td></tr>
 * <tr><td>{@code GROUPWIRE_APNS_KEY_FILE}</td><td>required</td><td>the .p8 signing key file (a secret;
 *     {@code GROUPWIRE_APNS_KEY} may hold the PEM text itself instead)</td></tr>
 * <tr><td>{@code GROUPWIRE_APNS_KEY_ID}</td><td>required</td><td>the key's id (10 characters from Apple)</td></tr>
 * <tr><td>{@code GROUPWIRE_APNS_TEAM_ID}</td><td>required</td><td>the developer team id</td></tr>
 * <tr><td>{@code GROUPWIRE_APNS_TOPIC}</td><td>required</td><td>the app's bundle id</td></tr>
 * <tr><td>{@code GROUPWIRE_APNS_TRUSTED_CERT}</td><td>unset</td><td>PEM file of a server certificate to
 *     trust instead of the system's CAs (the sandbox's self-signed one)</td></tr>
 * <tr><td>{@code GROUPWIRE_APNS_CONNECTIONS}</td><td>2</td><td>concurrent HTTP/2 connections</td></tr>
 * <tr><td>{@code GROUPWIRE_APNS_TIMEOUT}</td><td>10s</td><td>connect timeout, and how long one send
 *     waits for APNs' answer before it counts as maybe-sent</td></tr>
 * <tr><td>{@code GROUPWIRE_APNS_MAX_IN_FLIGHT}</td><td>2000</td><td>sends awaiting an answer at once;
 *     beyond that a send is refused at once (Pushy's queues are unbounded)</td></tr>
 * <tr><td>{@code GROUPWIRE_MESSAGE_TTL}</td><td>2h</td><td>the platform's message TTL: APNs may store
 *     a notification until the message's acceptance plus this</td></tr>
 * </table>
 *
 * <p>{@link #toString()} leaves the signing key out.
 *
 * @param host               APNs host name
 * @param port               APNs port
 * @param signingKeyPem      the PKCS#8 PEM text of the .p8 key (secret)
 * @param keyId              the signing key's id
 * @param teamId             the developer team id
 * @param topic              the app's bundle id
 * @param trustedCertificate a PEM certificate file to trust, or null for the system's CAs
 * @param connections        concurrent connections
 * @param timeout            connect and answer timeout
 * @param maxInFlight        sends awaiting an answer at once
 * @param messageTtl         how long a message lives after acceptance
 */
public record ApnsSettings(String host, int port, String signingKeyPem, String keyId, String teamId, String topic,
                           Path trustedCertificate, int connections, Duration timeout, int maxInFlight,
                           Duration messageTtl) {
    public static final String DEFAULT_HOST = "api.sandbox.push.apple.com";

    public ApnsSettings {
        require(host, "GROUPWIRE_APNS_HOST");
        require(signingKeyPem, "GROUPWIRE_APNS_KEY_FILE");
        require(keyId, "GROUPWIRE_APNS_KEY_ID");
        require(teamId, "GROUPWIRE_APNS_TEAM_ID");
        require(topic, "GROUPWIRE_APNS_TOPIC");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("GROUPWIRE_APNS_PORT must be between 1 and 65535");
        }
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("GROUPWIRE_APNS_CONNECTIONS must be between 1 and 64");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("GROUPWIRE_APNS_MAX_IN_FLIGHT must be positive");
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(messageTtl, "messageTtl");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("GROUPWIRE_APNS_TIMEOUT must be positive");
        }
    }

    public static ApnsSettings fromEnv(Env env) {
        String trusted = env.optional("GROUPWIRE_APNS_TRUSTED_CERT");
        return new ApnsSettings(
                env.string("GROUPWIRE_APNS_HOST", DEFAULT_HOST),
                env.integer("GROUPWIRE_APNS_PORT", 443),
                env.secret("GROUPWIRE_APNS_KEY"),
                env.optional("GROUPWIRE_APNS_KEY_ID"),
                env.optional("GROUPWIRE_APNS_TEAM_ID"),
                env.optional("GROUPWIRE_APNS_TOPIC"),
                trusted == null ? null : Path.of(trusted),
                env.integer("GROUPWIRE_APNS_CONNECTIONS", 2),
                env.duration("GROUPWIRE_APNS_TIMEOUT", Duration.ofSeconds(10)),
                env.integer("GROUPWIRE_APNS_MAX_IN_FLIGHT", 2000),
                env.duration("GROUPWIRE_MESSAGE_TTL", Duration.ofHours(2)));
    }

    /** These settings with another signing key (tests: a key APNs does not know). */
    public ApnsSettings withSigningKey(String pem, String newKeyId) {
        return new ApnsSettings(host, port, pem, newKeyId, teamId, topic, trustedCertificate, connections, timeout,
                maxInFlight, messageTtl);
    }

    /** These settings with another answer timeout and in-flight bound. */
    public ApnsSettings withLimits(Duration newTimeout, int newMaxInFlight) {
        return new ApnsSettings(host, port, signingKeyPem, keyId, teamId, topic, trustedCertificate, connections,
                newTimeout, newMaxInFlight, messageTtl);
    }

    @Override
    public String toString() {
        return "ApnsSettings[host=" + host + ", port=" + port + ", signingKey=(secret), keyId=" + keyId
                + ", teamId=" + teamId + ", topic=" + topic + ", trustedCertificate=" + trustedCertificate
                + ", connections=" + connections + ", timeout=" + timeout + ", maxInFlight=" + maxInFlight
                + ", messageTtl=" + messageTtl + "]";
    }

    private static void require(String value, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(variable + " is required");
        }
    }
}
