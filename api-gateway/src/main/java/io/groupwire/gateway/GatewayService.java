package io.groupwire.gateway;

import io.groupwire.core.history.History;
import io.groupwire.core.directory.Directory;
import io.groupwire.core.http.HttpServerGuard;
import io.groupwire.core.inbound.InboundTexts;
import io.groupwire.core.intake.MessageIntake;
import io.groupwire.core.reply.ReplyNumbers;
import io.groupwire.core.metrics.ManagementRoutes;
import io.groupwire.core.metrics.ServiceMetrics;
import io.groupwire.core.redis.RedisWait;
import io.groupwire.core.redis.ShardCount;
import io.groupwire.core.redis.Shards;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.redis.client.Redis;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTP API: authenticates every call, validates it against {@code openapi.yaml}, and
 * serves users, devices, groups and messages from the directory and the mailbox. Also serves
 * {@code /health}, {@code /metrics}, the contract itself at {@code /openapi.yaml}, and whatever
 * {@link OperatorRoutes} the deploy module adds.
 *
 * <p>Handlers of an API request, in order: {@link Operations} (which endpoint is this),
 * the request timer, {@link RequestBodies} (413 past the limit), {@link BearerAuth} (401/403),
 * {@link JsonBodyCheck} (ambiguous JSON), the OpenAPI validator (400/415), the endpoint's handler, and
 * {@link ErrorResponses} for every failure.
 */
public final class GatewayService {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);
    /** 200 is where Vert.x Web's body reader fails a request whose stream broke (see {@link ErrorResponses}). */
    private static final int[] ERROR_STATUSES = {200, 400, 401, 403, 404, 405, 409, 413, 415, 500, 501, 503};

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Redis redis;
    private final PrometheusMeterRegistry registry;
    private final GatewayMetrics metrics;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    /** The rate limits' buckets (Lettuce), connected when first needed. */
    private final LimitBuckets buckets;
    private volatile String deploymentId;
    private volatile io.groupwire.core.report.InstanceReporter reporter;

    private GatewayService(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.redis = Redis.createClient(vertx, config.redis().toOptions());
        this.registry = ServiceMetrics.create("gateway");
        this.metrics = new GatewayMetrics(registry);
        this.buckets = new LimitBuckets(vertx, config.redis());
    }

    /**
     * Starts the gateway: it listens at once, answering 503 (and /health not ready) while Redis is
     * unreachable, and serves the API once Redis answers; the returned future completes then. It
     * fails if Redis disagrees on the shard count, or stays away past {@code GROUPWIRE_REDIS_STARTUP_WAIT}.
     */
    public static Future<GatewayService> start(Vertx vertx, GatewayConfig config) {
        return start(vertx, config, OperatorRoutes.NONE);
    }

    /** Starts the gateway with the operators' routes (the dashboard) beside the API. */
    public static Future<GatewayService> start(Vertx vertx, GatewayConfig config, OperatorRoutes operatorRoutes) {
        GatewayService s = new GatewayService(vertx, config);
        return s.begin(operatorRoutes).map(s).onFailure(e -> s.stop());
    }

    private Future<Void> begin(OperatorRoutes operatorRoutes) {
        RedisGuard guard = new RedisGuard(config.redisTimeout());
        StartingRoutes front = new StartingRoutes(vertx, registry, redis, !config.publicMetrics());
        return listen(front)
                .compose(v -> new RedisWait(vertx, "gateway", config.redis(), e -> e instanceof ShardCount.Disagreement,
                        () -> false).until(() -> ShardCount.agree(redis, config.redis().shards())
                        .timeout(config.redisTimeout().toMillis(), TimeUnit.MILLISECONDS)))
                .recover(e -> Future.failedFuture(new IllegalStateException("the gateway cannot start: Redis at "
                        + config.redis().describe() + " did not agree on the shard count: " + e.getMessage(), e)))
                .compose(shards -> limitBuckets().compose(v -> OpenAPIContract.from(vertx, "openapi.yaml"))
                        .map(contract -> root(api(contract, shards, guard), contract, shards, operatorRoutes)))
                .onSuccess(front::serve)
                .<Void>mapEmpty()
                .onSuccess(v -> LOG.info("gateway listening on {}:{} ({})", config.host(), port(), config))
                .onSuccess(v -> reporter = io.groupwire.core.report.InstanceReporter.start(vertx, redis, "gateway", null, registry, List::of));
    }

    /**
     * Connects the rate limits' client now, so that the first limited request does not wait for it,
     * unless every limit is off; a failure does not stop the start (it is tried again when needed).
     */
    private Future<Void> limitBuckets() {
        if (config.limits().rates().isEmpty()) {
            return Future.succeededFuture();
        }
        return buckets.get().<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }

    /** The inbound SMS webhook, when {@link InboundSettings#webhookEnabled}; built with the API's intake. */
    private TwilioInboundRoute inboundRoute;

    private Router api(OpenAPIContract contract, Shards shards, RedisGuard guard) {
        Directory directory = new Directory(redis, shards, Clock.systemUTC());
        MessageIntake intake = MessageIntake.builder(redis, shards)
                .guidTtl(config.guidTtl())
                .mailboxHighWater(config.mailboxHighWater())
                .outboxHighWater(config.outboxHighWater())
                .waitForReplicas(config.waitReplicas(), config.waitTimeout())
                .callTimeout(config.redisTimeout())
                .history(config.history())
                .build();
        ReplyNumbers replyNumbers = config.inbound().pool() == null ? null : new ReplyNumbers(redis, config.inbound().pool());
        if (config.inbound().webhookEnabled()) {
            inboundRoute = new TwilioInboundRoute(new InboundTexts(replyNumbers, intake, config.inbound().helpText()),
                    config.inbound(), guard, registry);
        }
        RouterBuilder rb = RouterBuilder.create(vertx, contract, new ValidatedInput());
        // BearerAuth, a root handler, authenticates every operation before validation; the router's own
        // security handlers would run after it and would need an AuthenticationHandler per scheme
        rb.getRoutes().forEach(route -> route.setDoSecurity(false));
        Operations operations = new Operations(contract.operations());
        rb.rootHandler(operations);
        rb.rootHandler(metrics.requestTimer());
        rb.rootHandler(new RequestBodies(config.bodyLimit()));
        rb.rootHandler(new BearerAuth(directory, guard, config.adminToken()));
        rb.rootHandler(new JsonBodyCheck());
        new UserHandlers(directory, guard).mount(rb);
        RateLimits limits = new RateLimits(config.limits(), buckets, guard, metrics);
        new DeviceHandlers(directory, guard, metrics).mount(rb);
        new GroupHandlers(directory, guard, limits, replyNumbers).mount(rb);
        new MessageHandlers(intake, directory, guard, limits, metrics).mount(rb);
        new HistoryHandlers(new History(redis, shards, Clock.systemUTC(), config.history()), guard).mount(rb);
        return rb.createRouter();
    }

    private Router root(Router api, OpenAPIContract contract, Shards shards, OperatorRoutes operatorRoutes) {
        Router root = Router.router(vertx);
        ManagementRoutes.mount(root, "gateway", registry, redis, () -> true, !config.publicMetrics());
        Buffer document = Buffer.buffer(resource("openapi.yaml"));
        root.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml").end(document));
        operatorRoutes.mount(root, redis, shards, registry);
        if (inboundRoute != null) {
            inboundRoute.mount(root);
        }
        root.route("/*").subRouter(api);
        ErrorResponses errors = new ErrorResponses(metrics, new ValidationMessages(contract));
        for (int code : ERROR_STATUSES) {
            root.errorHandler(code, ctx -> errors.handle(ctx, code));
            api.errorHandler(code, ctx -> errors.handle(ctx, code));
        }
        return root;
    }

    private Future<Void> listen(Handler<HttpServerRequest> root) {
        // one server per event loop, sharing the port; a random port cannot be shared
        int instances = config.port() == 0 ? 1 : config.instances();
        HttpServerGuard guard = new HttpServerGuard("gateway", config.http());
        return vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        return guard.create(vertx).requestHandler(root).listen(config.port(), config.host())
                                .onSuccess(servers::add);
                    }
                }, new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> deploymentId = id)
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

    /** The port the gateway listens on (the chosen one when configured with 0). */
    public int port() {
        return servers.get(0).actualPort();
    }

    /** The gateway's meters, as {@code /metrics} shows them. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops accepting requests (requests in progress finish) and closes the Redis client. */
    public Future<Void> stop() {
        String id = deploymentId;
        Future<Void> unreported = reporter == null ? Future.succeededFuture() : reporter.stop();
        Future<Void> undeployed = id == null ? unreported : unreported.compose(u -> vertx.undeploy(id));
        return undeployed.recover(e -> Future.succeededFuture()).eventually(() -> {
            redis.close();
            buckets.close();
            return Future.succeededFuture();
        });
    }
}
