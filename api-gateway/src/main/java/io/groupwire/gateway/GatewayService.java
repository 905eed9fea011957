package io.groupwire.gateway;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.intake.MessageIntake;
import io.groupwire.core.metrics.ManagementRoutes;
import io.groupwire.core.metrics.ServiceMetrics;
import io.groupwire.core.redis.ShardCount;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.RouterBuilder;
import io.vertx.ext.web.openapi.RouterBuilderOptions;
import io.vertx.redis.client.Redis;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTP API: authenticates every call, validates it against {@code openapi.yaml}, and
 * serves users, devices, groups and messages from the directory and the mailbox. Also serves
 * {@code /health}, {@code /metrics} and the contract itself at {@code /openapi.yaml}.
 */
public final class GatewayService {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Redis redis;
    private final PrometheusMeterRegistry registry;
    private final List<HttpServer> servers = new ArrayList<>();

    private GatewayService(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.redis = Redis.createClient(vertx, config.redis().toOptions());
        this.registry = ServiceMetrics.create("gateway");
    }

    /** Starts the gateway. */
    public static Future<GatewayService> start(Vertx vertx, GatewayConfig config) {
        return start(vertx, config, router -> { });
    }

    /**
     * Starts the gateway; {@code extraRoutes} may add routes (the operators' dashboard) before the
     * API's catch-all.
     */
    public static Future<GatewayService> start(Vertx vertx, GatewayConfig config, Consumer<Router> extraRoutes) {
        GatewayService s = new GatewayService(vertx, config);
        return s.begin(extraRoutes).map(s);
    }

    private Future<Void> begin(Consumer<Router> extraRoutes) {
        RedisGuard guard = new RedisGuard(vertx, config.redisTimeout());
        return guard.call(ShardCount.agree(redis, config.redis().shards()))
                .recover(e -> Future.failedFuture(new IllegalStateException("cannot reach Redis at "
                        + config.redis().describe() + " or agree on the shard count: " + e.getMessage(), e)))
                .compose(shards -> RouterBuilder.create(vertx, "openapi.yaml").map(rb -> {
                    Directory directory = new Directory(redis, shards, Clock.systemUTC());
                    MessageIntake intake = new MessageIntake(redis, shards, Clock.systemUTC(),
                            config.messageTtl().plusHours(1), config.mailboxHighWater(), config.outboxHighWater());
                    rb.setOptions(new RouterBuilderOptions().setRequireSecurityHandlers(false).setMountNotImplementedHandler(true));
                    // the body is read (within its limit) first; then authentication, before validation,
                    // so that a stranger learns nothing from validation errors
                    rb.rootHandler(BodyHandler.create().setBodyLimit(config.bodyLimit()).setHandleFileUploads(false));
                    rb.rootHandler(new BearerAuth(directory, guard, config.adminToken()));
                    new UserHandlers(directory, guard).mount(rb);
                    new DeviceHandlers(directory, guard).mount(rb);
                    new GroupHandlers(directory, guard).mount(rb);
                    new MessageHandlers(intake, guard, registry).mount(rb);
                    return rb.createRouter();
                }))
                .compose(api -> {
                    Router root = Router.router(vertx);
                    ManagementRoutes.mount(root, "gateway", registry, redis);
                    Buffer contract = Buffer.buffer(resource("openapi.yaml"));
                    root.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml").end(contract));
                    extraRoutes.accept(root);
                    root.route("/*").subRouter(api);
                    for (int code : new int[] {400, 401, 403, 404, 405, 413, 415, 500, 503}) {
                        root.errorHandler(code, ctx -> ErrorResponses.handle(ctx, code));
                        api.errorHandler(code, ctx -> ErrorResponses.handle(ctx, code));
                    }
                    root.route().last().handler(ctx -> ctx.fail(404));
                    int instances = config.port() == 0 ? 1 : Math.max(1, config.instances());
                    List<Future<HttpServer>> listening = new ArrayList<>();
                    for (int i = 0; i < instances; i++) {
                        listening.add(vertx.createHttpServer().requestHandler(root).listen(config.port(), config.host()));
                    }
                    return Future.all(listening).map(all -> {
                        listening.forEach(f -> servers.add(f.result()));
                        return null;
                    });
                })
                .onSuccess(v -> LOG.info("gateway listening on {}:{} ({})", config.host(), port(), config))
                .mapEmpty();
    }

    private static byte[] resource(String name) {
        try (InputStream in = GatewayService.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return servers.get(0).actualPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops accepting requests; requests in progress finish. */
    public Future<Void> stop() {
        List<Future<Void>> closing = new ArrayList<>();
        servers.forEach(s -> closing.add(s.close()));
        return Future.join(new ArrayList<>(closing)).<Void>mapEmpty().eventually(() -> {
            redis.close();
            return Future.succeededFuture();
        }).recover(e -> Future.succeededFuture());
    }
}
