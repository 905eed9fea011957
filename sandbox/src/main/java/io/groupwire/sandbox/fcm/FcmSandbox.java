package io.groupwire.sandbox.fcm;

import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.UnregisteredTokens;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A local FCM for runs and tests, mounted on a Vert.x router: Google's OAuth2 token endpoint at
 * {@value #TOKEN_PATH} ({@link SandboxTokenEndpoint}) and FCM HTTP v1's
 * {@code POST /v1/projects/<project>/messages:send} ({@link SandboxSendEndpoint}), which records
 * what it accepts in the shared {@link ReceivedLog}. Both read at most {@value #MAX_BODY_BYTES}
 * bytes of body; a larger, malformed or hostile body is answered 400 with FCM's error JSON (the
 * token endpoint: OAuth2's).
 *
 * <p>The service account (an RSA key and a Google-style JSON whose {@code token_uri} is this
 * sandbox's) is generated in, or reused from, the credentials directory; {@link #clientEnvironment()}
 * has the variables that point an FCM client in another process at it, also written to
 * {@code fcm-sandbox.env}. The server it is mounted on must serve HTTP/2 cleartext (Vert.x does by
 * default) for the client's h2c with prior knowledge.
 */
public final class FcmSandbox {
    public static final String TOKEN_PATH = "/oauth2/token";
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Google's access tokens live an hour. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);

    private final String baseUrl;
    private final FcmSandboxCredentials credentials;
    private final SandboxTokenEndpoint tokenEndpoint;
    private final SandboxSendEndpoint sendEndpoint;
    private final UnregisteredTokens unregistered = new UnregisteredTokens();

    private FcmSandbox(String baseUrl, FcmSandboxCredentials credentials, ReceivedLog log, SandboxFaults faults,
                       Duration tokenLifetime) {
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        Clock clock = Clock.systemUTC();
        this.tokenEndpoint = new SandboxTokenEndpoint(credentials, tokenLifetime, clock);
        this.sendEndpoint = new SandboxSendEndpoint(credentials, tokenEndpoint, log, faults, unregistered, clock);
    }

    /**
     * Prepares the sandbox; call {@link #mount} to serve it.
     *
     * @param baseUrl        where the router will be reachable, e.g. {@code http://127.0.0.1:8090}
     * @param credentialsDir where the service account is kept (created if absent, reused if present)
     */
    public static FcmSandbox create(String baseUrl, Path credentialsDir, ReceivedLog log, SandboxFaults faults) {
        return create(baseUrl, credentialsDir, log, faults, DEFAULT_TOKEN_LIFETIME);
    }

    /** As {@link #create(String, Path, ReceivedLog, SandboxFaults)}, with access tokens living {@code tokenLifetime}. */
    public static FcmSandbox create(String baseUrl, Path credentialsDir, ReceivedLog log, SandboxFaults faults,
                                    Duration tokenLifetime) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI uri = URI.create(base);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("the FCM sandbox's base URL must be http(s)://host:port");
        }
        if (tokenLifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("access tokens must live at least a second");
        }
        FcmSandboxCredentials credentials = FcmSandboxCredentials.loadOrCreate(credentialsDir, base + TOKEN_PATH);
        FcmSandbox sandbox = new FcmSandbox(base, credentials, log, faults, tokenLifetime);
        CredentialFiles.writePublic(credentialsDir.resolve("fcm-sandbox.env"), sandbox.envFile());
        return sandbox;
    }

    /** Adds the token and send endpoints to {@code router}. */
    public void mount(Router router) {
        router.post(TOKEN_PATH)
                .handler(bodyHandler())
                .handler(tokenEndpoint)
                .failureHandler(ctx -> failed(ctx, true));
        router.postWithRegex("/v1/projects/([^/]+)/messages:send")
                .handler(bodyHandler())
                .handler(sendEndpoint)
                .failureHandler(ctx -> failed(ctx, false));
    }

    /** Where the service-account JSON is. */
    public Path serviceAccountFile() {
        return credentials.file();
    }

    public String projectId() {
        return credentials.projectId();
    }

    /** The variables that point an FCM client (in this process or another) at this sandbox. */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GROUPWIRE_FCM_SERVICE_ACCOUNT_FILE", credentials.file().toString());
        env.put("GROUPWIRE_FCM_ENDPOINT", baseUrl);
        return env;
    }

    /** The tokens this sandbox answers 404 UNREGISTERED for; change it at any time. */
    public UnregisteredTokens unregisteredTokens() {
        return unregistered;
    }

    /** How many access tokens the token endpoint has issued. */
    public int tokensIssued() {
        return tokenEndpoint.issued();
    }

    /** Makes every issued access token invalid, as if Google had revoked them. */
    public void revokeTokens() {
        tokenEndpoint.revokeAll();
    }

    private static BodyHandler bodyHandler() {
        return BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false);
    }

    /** Failures before an endpoint answered (an over-long body, mostly) still get Google's shapes. */
    private static void failed(RoutingContext ctx, boolean tokenEndpoint) {
        int status = ctx.statusCode();
        if (status != 413 && status != 400) {
            SandboxAnswers.respond(ctx, SandboxAnswers.fcmError(500, "INTERNAL", "Internal error encountered.",
                    tokenEndpoint ? null : "INTERNAL", null));
            return;
        }
        String problem = status == 413
                ? "The request body is larger than " + MAX_BODY_BYTES + " bytes."
                : "The request body could not be read.";
        SandboxAnswers.respond(ctx, tokenEndpoint ? SandboxAnswers.oauthError("invalid_request", problem)
                : SandboxAnswers.invalidArgument(null, "Invalid JSON payload received. " + problem));
    }

    private String envFile() {
        StringBuilder text = new StringBuilder("# Point a Groupwire FCM client at the sandbox: set -a; . this file\n");
        clientEnvironment().forEach((k, v) -> text.append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
        return text.toString();
    }
}
