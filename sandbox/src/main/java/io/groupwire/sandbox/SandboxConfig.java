package io.groupwire.sandbox;

import io.groupwire.core.config.Env;
import java.nio.file.Path;

/**
 * Settings of the sandbox providers, from the environment.
 *
 * <ul>
 *   <li>{@code GROUPWIRE_SANDBOX_HOST} (127.0.0.1): address of the HTTP sandbox (FCM, SMS, control)</li>
 *   <li>{@code GROUPWIRE_SANDBOX_PORT} (8090): its port; 0 picks a free one</li>
 *   <li>{@code GROUPWIRE_SANDBOX_APNS_PORT} (8443): the APNs sandbox's TLS port; 0 picks a free one</li>
 *   <li>{@code GROUPWIRE_SANDBOX_DIR} ({@code GROUPWIRE_DATA_DIR}/sandbox): where the sandbox keeps
 *       its credentials and writes {@code pacer.env}, the variables that point a pacer at it</li>
 *   <li>{@code GROUPWIRE_SANDBOX_KEEP} (1000000): deliveries kept for {@code /sandbox/received}</li>
 *   <li>{@code GROUPWIRE_SANDBOX_GATEWAY_URL} (http://127.0.0.1:{@code GROUPWIRE_HTTP_PORT}): where its
 *       carrier posts inbound texts ({@code POST /sandbox/sms/inbound})</li>
 * </ul>
 */
public record SandboxConfig(String host, int port, int apnsPort, Path dir, int keep, String gatewayUrl) {

    public static SandboxConfig fromEnv(Env env, Path dataDir) {
        return new SandboxConfig(
                env.string("GROUPWIRE_SANDBOX_HOST", "127.0.0.1"),
                env.integer("GROUPWIRE_SANDBOX_PORT", 8090),
                env.integer("GROUPWIRE_SANDBOX_APNS_PORT", 8443),
                Path.of(env.string("GROUPWIRE_SANDBOX_DIR", dataDir.resolve("sandbox").toString())).toAbsolutePath(),
                env.integer("GROUPWIRE_SANDBOX_KEEP", 1_000_000),
                env.string("GROUPWIRE_SANDBOX_GATEWAY_URL", "http://127.0.0.1:" + env.integer("GROUPWIRE_HTTP_PORT", 8080)));
    }
}
