package io.groupwire.sandbox.fcm;

import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.credentials.Pem;
import io.groupwire.sandbox.credentials.SandboxCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real local HTTP server (HTTP/1.1 and h2c on one port, 127.0.0.1, a free port) with the FCM
 * sandbox mounted, recording the path and HTTP version of every request it sees. Routes a test adds with
 * {@link #router()} before calling {@link #mountSandbox} take precedence over the sandbox's.
 */
public final class FcmTestServer implements AutoCloseable {
    public final Vertx vertx;
    public final Router router;
    public final HttpServer server;
    /** One request the server saw. */
    public record Seen(String path, HttpVersion version, boolean tls) {
    }

    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    public final ReceivedLog log = new ReceivedLog();
    public final SandboxFaults faults = new SandboxFaults();
    public final boolean tls;
    public FcmSandbox sandbox;

    public FcmTestServer(Vertx vertx) throws Exception {
        this(vertx, null);
    }

    /** With {@code tls} set, serves https (HTTP/2 by ALPN, or HTTP/1.1) with that certificate. */
    public FcmTestServer(Vertx vertx, SandboxCertificate tls) throws Exception {
        this.vertx = vertx;
        this.tls = tls != null;
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
        if (tls != null) {
            options.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setKeyValue(Buffer.buffer(Pem.pkcs8(tls.privateKey())))
                    .setCertValue(Buffer.buffer(Pem.certificate(tls.certificate()))));
        }
        this.router = Router.router(vertx);
        router.route().handler(ctx -> {
            seen.add(new Seen(ctx.request().path(), ctx.request().version(), ctx.request().isSSL()));
            ctx.next();
        });
        this.server = vertx.createHttpServer(options)
                .requestHandler(router).listen().toCompletionStage().toCompletableFuture().get();
    }

    public String baseUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort();
    }

    public Router router() {
        return router;
    }

    public FcmSandbox mountSandbox(Path credentials, Duration tokenLifetime) {
        sandbox = FcmSandbox.create(baseUrl(), credentials, log, faults, tokenLifetime);
        sandbox.mount(router);
        return sandbox;
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }
}
