package io.groupwire.push.fcm;

import io.groupwire.core.config.Env;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the FCM client reaches Firebase Cloud Messaging (HTTP v1) and authenticates (a Google
 * service account). Read from the environment by {@link #fromEnv}:
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code GROUPWIRE_FCM_SERVICE_ACCOUNT_FILE}</td><td>required</td><td>the service-account JSON
 *     (a secret: {@code project_id}, {@code client_email}, {@code private_key}, {@code token_uri});
 *     {@code GROUPWIRE_FCM_SERVICE_ACCOUNT} may hold the JSON itself instead</td></tr>
 * <tr><td>{@code GROUPWIRE_FCM_ENDPOINT}</td><td>{@code https://fcm.googleapis.com}</td><td>where
 *     {@code /v1/projects/<project>/messages:send} is; {@code http://} uses h2c with prior
 *     knowledge, {@code https://} negotiates HTTP/2 by ALPN</td></tr>
 * <tr><td>{@code GROUPWIRE_FCM_TRUSTED_CERT}</td><td>unset</td><td>PEM file of a server certificate to
 *     trust for https instead of the system's CAs (a local stand-in for FCM); applies to the token
 *     endpoint too</td></tr>
 * <tr><td>{@code GROUPWIRE_FCM_TIMEOUT}</td><td>10s</td><td>how long one send (token included)
 *     waits for FCM before it counts as maybe-sent</td></tr>
 * <tr><td>{@code GROUPWIRE_FCM_CONNECTIONS}</td><td>4</td><td>HTTP/2 connections to the endpoint,
 *     each multiplexing many sends</td></tr>
 * <tr><td>{@code GROUPWIRE_FCM_MAX_IN_FLIGHT}</td><td>2000</td><td>sends awaiting an answer at once;
 *     beyond that a send is refused at once</td></tr>
 * <tr><td>{@code GROUPWIRE_MESSAGE_TTL}</td><td>2h</td><td>the platform's message TTL, passed to FCM as
 *     the Android TTL and the APNs expiration of what is left of it</td></tr>
 * </table>
 *
 * <p>{@link #toString()} leaves the service account out.
 *
 * @param serviceAccountJson the service-account JSON (secret)
 * @param endpoint           FCM's base URL, without a trailing slash
 * @param trustedCertificate a PEM certificate file to trust, or null for the system's CAs
 * @param timeout            answer timeout per send
 * @param connections        HTTP/2 connections
 * @param maxInFlight        sends awaiting an answer at once
 * @param messageTtl         how long a message lives after acceptance
 */
public record FcmSettings(String serviceAccountJson, String endpoint, Path trustedCertificate, Duration timeout,
                          int connections, int maxInFlight, Duration messageTtl) {
    public static final String DEFAULT_ENDPOINT = "https://fcm.googleapis.com";

    public FcmSettings {
        if (serviceAccountJson == null || serviceAccountJson.isBlank()) {
            throw new IllegalArgumentException("GROUPWIRE_FCM_SERVICE_ACCOUNT_FILE is required");
        }
        Objects.requireNonNull(endpoint, "endpoint");
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GROUPWIRE_FCM_ENDPOINT is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("GROUPWIRE_FCM_ENDPOINT must be an http:// or https:// URL");
        }
        endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(messageTtl, "messageTtl");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("GROUPWIRE_FCM_TIMEOUT must be positive");
        }
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("GROUPWIRE_FCM_CONNECTIONS must be between 1 and 64");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("GROUPWIRE_FCM_MAX_IN_FLIGHT must be positive");
        }
    }

    public static FcmSettings fromEnv(Env env) {
        String trusted = env.optional("GROUPWIRE_FCM_TRUSTED_CERT");
        return new FcmSettings(
                env.secret("GROUPWIRE_FCM_SERVICE_ACCOUNT"),
                env.string("GROUPWIRE_FCM_ENDPOINT", DEFAULT_ENDPOINT),
                trusted == null ? null : Path.of(trusted),
                env.duration("GROUPWIRE_FCM_TIMEOUT", Duration.ofSeconds(10)),
                env.integer("GROUPWIRE_FCM_CONNECTIONS", 4),
                env.integer("GROUPWIRE_FCM_MAX_IN_FLIGHT", 2000),
                env.duration("GROUPWIRE_MESSAGE_TTL", Duration.ofHours(2)));
    }

    /** These settings with another endpoint (tests: a server playing FCM). */
    public FcmSettings withEndpoint(String newEndpoint) {
        return new FcmSettings(serviceAccountJson, newEndpoint, trustedCertificate, timeout, connections, maxInFlight, messageTtl);
    }

    /** These settings with another timeout and in-flight bound. */
    public FcmSettings withLimits(Duration newTimeout, int newMaxInFlight) {
        return new FcmSettings(serviceAccountJson, endpoint, trustedCertificate, newTimeout, connections, newMaxInFlight, messageTtl);
    }

    /** These settings trusting {@code certificate} for https. */
    public FcmSettings withTrustedCertificate(Path certificate) {
        return new FcmSettings(serviceAccountJson, endpoint, certificate, timeout, connections, maxInFlight, messageTtl);
    }

    /** These settings with another service account. */
    public FcmSettings withServiceAccount(String json) {
        return new FcmSettings(json, endpoint, trustedCertificate, timeout, connections, maxInFlight, messageTtl);
    }

    @Override
    public String toString() {
        return "FcmSettings[serviceAccount=(secret), endpoint=" + endpoint + ", trustedCertificate="
                + trustedCertificate + ", timeout=" + timeout
                + ", connections=" + connections + ", maxInFlight=" + maxInFlight + ", messageTtl=" + messageTtl + "]";
    }
}
