package io.groupwire.sandbox;

import io.groupwire.core.http.BrokenRequests;
import io.groupwire.core.http.HttpLimits;
import io.groupwire.core.http.HttpServerGuard;
import io.groupwire.sandbox.apns.ApnsSandbox;
import io.groupwire.sandbox.fcm.FcmSandbox;
import io.groupwire.sandbox.twilio.TwilioSandbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox providers of a local run: a mock APNs (Pushy's server, TLS) on its own port, and on
 * one HTTP port the FCM and Twilio-style endpoints next to {@code /sandbox/received} and
 * {@code /sandbox/faults}. All of them record into one {@link ReceivedLog} and obey one
 * {@link SandboxFaults}. Their credentials persist in the sandbox directory, and {@code pacer.env}
 * there holds the variables that point a pacer, in this process or another, at them.
 */
public final class SandboxService {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxService.class);

    private final ReceivedLog log;
    private final SandboxFaults faults = new SandboxFaults();
    private final SandboxConfig config;
    private ApnsSandbox apns;
    private TwilioSandbox twilio;
    private FcmSandbox fcm;
    private HttpServer http;
    private final Map<String, String> providerEnv = new LinkedHashMap<>();
    private Router router;
    /** The auth token its Twilio peer accepts and its carrier signs inbound webhooks with. */
    private String smsAuthToken;

    private SandboxService(SandboxConfig config) {
        this.config = config;
        this.log = new ReceivedLog(config.keep());
    }

    public static Future<SandboxService> start(Vertx vertx, SandboxConfig config) {
        SandboxService s = new SandboxService(config);
        return vertx.executeBlocking(() -> {
            Files.createDirectories(config.dir());
            s.apns = ApnsSandbox.start(config.apnsPort(), s.log, s.faults, config.dir().resolve("apns"));
            String[] sms = smsCredentials(config.dir());
            s.twilio = TwilioSandbox.create(s.log, s.faults, sms[0], sms[1]);
            s.smsAuthToken = sms[1];
            return s;
        }).compose(x -> {
            Router router = Router.router(vertx);
            s.router = router;
            router.get("/health").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("status", "up").put("service", "sandbox").encode()));
            // every client of the sandbox is a pacer on this machine, with pools of its own: no limit per address
            BrokenRequests.answerQuietly(router);
            SandboxRoutes.mount(router, s.log, s.faults);
            s.twilio.mount(router);
            new io.groupwire.sandbox.twilio.InboundCarrier(vertx, config.gatewayUrl(), s.smsAuthToken, s.log).mount(router);
            return new HttpServerGuard("sandbox", HttpLimits.defaults().anyNumberOfConnections(), true).create(vertx).requestHandler(router)
                    .listen(config.port(), config.host());
        }).compose(server -> {
            s.http = server;
            // FCM's service account names the token endpoint by URL, so it needs the bound port
            return vertx.executeBlocking(() -> {
                s.fcm = FcmSandbox.create("http://" + config.host() + ":" + server.actualPort(),
                        config.dir().resolve("fcm"), s.log, s.faults);
                return s;
            });
        }).compose(x -> {
            s.fcm.mount(s.router);
            return vertx.executeBlocking(() -> {
                s.writeProviderEnv();
                return s;
            });
        }).onSuccess(x -> LOG.info("sandbox providers: HTTP on {}:{}, APNs on {}; pacer variables in {}",
                config.host(), s.port(), s.apns.port(), config.dir().resolve("pacer.env")));
    }

    /** The sandbox's SMS account: an id and an auth token kept in the sandbox directory. */
    private static String[] smsCredentials(Path dir) throws IOException {
        Path sid = dir.resolve("twilio-account-sid");
        Path token = dir.resolve("twilio-auth-token");
        if (!Files.exists(sid) || !Files.exists(token)) {
            SecureRandom random = new SecureRandom();
            byte[] a = new byte[16];
            byte[] b = new byte[16];
            random.nextBytes(a);
            random.nextBytes(b);
            Files.writeString(sid, "AC" + HexFormat.of().formatHex(a));
            Files.writeString(token, HexFormat.of().formatHex(b));
            restrict(token);
        }
        return new String[] {Files.readString(sid).strip(), Files.readString(token).strip()};
    }

    private void writeProviderEnv() throws IOException {
        String base = "http://" + config.host() + ":" + port();
        providerEnv.putAll(apns.clientEnvironment());
        providerEnv.putAll(fcm.clientEnvironment());
        providerEnv.put("GROUPWIRE_TWILIO_BASE_URL", base);
        providerEnv.put("GROUPWIRE_TWILIO_ACCOUNT_SID", twilio.accountSid());
        providerEnv.put("GROUPWIRE_TWILIO_AUTH_TOKEN_FILE", config.dir().resolve("twilio-auth-token").toString());
        providerEnv.put("GROUPWIRE_TWILIO_FROM", TwilioSandbox.DEFAULT_FROM);
        // the pool of reply numbers SMS go out from, fictional numbers that the sandbox's carrier answers to
        providerEnv.put(io.groupwire.core.reply.NumberPool.VARIABLE,
                String.join(",", io.groupwire.core.reply.NumberPool.sandbox().numbers()));
        Path file = config.dir().resolve("pacer.env");
        Files.writeString(file, providerEnv.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# written by the Groupwire sandbox: the variables that point a pacer at it\n", "\n")));
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    /** Variables that point a pacer at these sandboxes (no secret values: secrets are named by file). */
    public Map<String, String> providerEnv() {
        return Map.copyOf(providerEnv);
    }

    public ReceivedLog received() {
        return log;
    }

    public SandboxFaults faults() {
        return faults;
    }

    public ApnsSandbox apns() {
        return apns;
    }

    public FcmSandbox fcm() {
        return fcm;
    }

    public TwilioSandbox sms() {
        return twilio;
    }

    public int port() {
        return http.actualPort();
    }

    public Future<Void> stop() {
        Future<Void> closed = http == null ? Future.succeededFuture() : http.close();
        return closed.eventually(() -> {
            if (apns != null) {
                apns.close();
            }
            return Future.succeededFuture();
        });
    }
}
