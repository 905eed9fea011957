package io.groupwire.console;

import io.groupwire.core.config.OwnContext;
import io.groupwire.core.deadletter.DeadLetters;
import io.groupwire.core.ledger.MessageTrace;
import io.groupwire.core.metrics.ManagementRoutes;
import io.groupwire.core.metrics.ServiceMetrics;
import io.groupwire.core.http.HttpLimits;
import io.groupwire.core.http.HttpServerGuard;
import io.groupwire.core.redis.RedisWait;
import io.groupwire.core.redis.ShardCount;
import io.groupwire.core.redis.Shards;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.CSRFHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.XFrameHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.redis.client.Redis;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console role: serves the operators' page and its API, behind the operator login, and runs the
 * one {@link Sampler} that reads Redis for every open page. Serves {@code /health} and
 * {@code /metrics} like every service.
 */
public final class ConsoleService {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleService.class);
    private static final int BODY_LIMIT = 64 * 1024;
    /** Where the uPlot WebJar puts its files on the class path. */
    private static final String WEBJARS = "META-INF/resources/webjars";

    private final Vertx vertx;
    private final ConsoleConfig config;
    private final Redis redis;
    private final PrometheusMeterRegistry registry = ServiceMetrics.create("console");
    private final LiveFeed feed = new LiveFeed();
    private Sampler sampler;
    private HttpServer http;
    private OwnContext context;

    private ConsoleService(Vertx vertx, ConsoleConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.redis = Redis.createClient(vertx, config.redis().toOptions());
    }

    public static Future<ConsoleService> start(Vertx vertx, ConsoleConfig config) {
        ConsoleService s = new ConsoleService(vertx, config);
        return OwnContext.create(vertx).compose(own -> {
            s.context = own;
            return own.run(v -> s.begin().map(s));
        });
    }

    private Future<Void> begin() {
        // like every service, it waits for Redis rather than fail without it (it listens once Redis answers)
        return new RedisWait(vertx, "console", config.redis(), e -> e instanceof ShardCount.Disagreement, () -> false)
                .until(() -> ShardCount.agree(redis, config.redis().shards())).compose(shards -> {
            sampler = new Sampler(vertx, redis, shards.count(), feed, new ConsoleGauges(registry), Clock.systemUTC());
            registry.gauge("groupwire.console.pages", feed, LiveFeed::open);
            return sampler.start().map(shards);
        }).compose(shards -> new HttpServerGuard("console", HttpLimits.defaults()).create(vertx)
                        .requestHandler(router(shards)).listen(config.port(), config.host()))
                .map(server -> {
                    http = server;
                    LOG.info("console listening on {}:{} ({})", config.host(), server.actualPort(), config);
                    return null;
                });
    }

    private Router router(Shards shards) {
        Router root = Router.router(vertx);
        ManagementRoutes.mount(root, "console", registry, redis);
        root.route().handler(XFrameHandler.create(XFrameHandler.DENY));
        root.route().handler(CSPHandler.create().addDirective("default-src", "'self'").addDirective("img-src", "'self' data:")
                .addDirective("frame-ancestors", "'none'").addDirective("form-action", "'self'"));
        root.route().handler(ctx -> {
            ctx.response().putHeader("referrer-policy", "no-referrer").putHeader("x-content-type-options", "nosniff");
            ctx.next();
        });
        root.route().handler(SessionHandler.create(LocalSessionStore.create(vertx))
                .setSessionCookieName("groupwire_console")
                .setCookieSecureFlag(true)
                .setCookieHttpOnlyFlag(true)
                .setCookieSameSite(CookieSameSite.STRICT)
                .setSessionTimeout(config.session().toMillis())
                .setNagHttps(false));
        root.route().handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
        // every state-changing call carries the session's token in X-XSRF-TOKEN, which a page of another
        // site cannot read; the cookie holding it is Secure, readable by the console's own script
        root.route().handler(CSRFHandler.create(vertx, randomSecret()).setCookieSecure(true).setCookieHttpOnly(false)
                .setNagHttps(false));
        OperatorLogin login = new OperatorLogin(config.operatorToken());
        login.mount(root);
        root.route("/api/*").handler(login.required());
        root.get("/api/live").handler(ctx -> feed.open(ctx.response(), sampler.history()));
        root.get("/api/snapshot").handler(ctx -> ctx.json(sampler.latest()));
        root.get("/api/trace/:id").handler(ctx -> trace(ctx, shards));
        new DeadLetterRoutes(new DeadLetters(redis, shards.count())).mount(root);
        root.get("/").handler(ctx -> ctx.redirect("/static/index.html"));
        root.get("/login").handler(ctx -> ctx.redirect("/static/login.html"));
        root.route("/static/*").handler(StaticHandler.create("console").setCachingEnabled(false));
        root.route("/webjars/*").handler(StaticHandler.create(WEBJARS));
        return root;
    }

    private void trace(RoutingContext ctx, Shards shards) {
        String id = ctx.pathParam("id");
        if (id == null || id.length() > 100 || !id.matches("[A-Za-z0-9_-]+")) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "not a message id").encode());
            return;
        }
        MessageTrace.read(redis, shards.count(), id).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            MessageTrace.Trace t = ar.result();
            JsonArray deliveries = new JsonArray();
            t.deliveries().forEach(d -> deliveries.add(JsonObject.mapFrom(d)));
            ctx.json(new JsonObject().put("messageId", t.messageId()).put("found", t.found()).put("shard", t.shard())
                    .put("expired", t.expired()).put("groupId", t.groupId()).put("senderId", t.senderId())
                    .put("acceptedAt", t.acceptedAtMillis()).put("open", t.open()).put("deliveries", deliveries)
                    .put("ledgerTtlSeconds", config.settledLedgerTtl().toSeconds()));
        });
    }

    private static String randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    public int port() {
        return http.actualPort();
    }

    /** Pages open now. */
    public int openPages() {
        return feed.open();
    }

    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.context().runOnContext(v -> {
            if (sampler != null) {
                sampler.stop();
            }
            feed.closeAll();
            (http == null ? Future.<Void>succeededFuture() : http.close())
                    .eventually(() -> {
                        redis.close();
                        return Future.succeededFuture();
                    })
                    .onComplete(done);
        });
        return done.future().eventually(() -> context.close());
    }
}
