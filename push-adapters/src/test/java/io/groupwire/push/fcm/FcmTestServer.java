package io.groupwire.push.fcm;

import io.groupwire.core.sandbox.ReceivedLog;
import io.groupwire.core.sandbox.SandboxFaults;
import io.groupwire.push.Pem;
import io.groupwire.push.sandbox.SandboxCertificate;
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
final class FcmTestServer implements AutoCloseable {
    final Vertx vertx;
    final Router router;
    final HttpServer server;
    /** One request the server saw. */
    record Seen(String path, HttpVersion version, boolean tls) {
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final ReceivedLog log = new ReceivedLog();
    final SandboxFaults faults = new SandboxFaults();
    final boolean tls;
    FcmSandbox sandbox;

    FcmTestServer(Vertx vertx) throws Exception {
        this(vertx, null);
    }

    /** With {@code tls} set, serves https (HTTP/2 by ALPN, or HTTP/1.1) with that certificate. */
    FcmTestServer(Vertx vertx, SandboxCertificate tls) throws Exception {
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

    String baseUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort();
    }

    Router router() {
        return router;
    }

    FcmSandbox mountSandbox(Path credentials, Duration tokenLifetime) {
        sandbox = FcmSandbox.create(baseUrl(), credentials, log, faults, tokenLifetime);
        sandbox.mount(router);
        return sandbox;
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }
}
