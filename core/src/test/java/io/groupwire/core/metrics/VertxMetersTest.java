package io.groupwire.core.metrics;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;

class VertxMetersTest {
    @Test
    void vertxOwnHttpMetersAppearBesideTheServiceMeters() {
        Vertx vertx = VertxMeters.create(new VertxOptions());
        try {
            HttpServer server = await(vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1"));
            var client = vertx.createHttpClient();
            await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/").compose(r -> r.send())
                    .compose(r -> r.body()));
            String text = VertxMeters.scrape();
            assertTrue(text.contains("vertx_http_server_requests_total"), text);
            assertTrue(text.contains("vertx_http_client_requests_total"), text);
        } finally {
            await(vertx.close());
        }
    }
}
