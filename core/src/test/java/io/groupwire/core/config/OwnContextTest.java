package io.groupwire.core.config;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnContextTest {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    @AfterEach
    void close() {
        await(vertx.close());
    }

    private static Future<Thread> thread(OwnContext c) {
        return c.run(v -> Future.succeededFuture(Thread.currentThread()));
    }

    @Test
    void servicesStartedOneAfterAnotherFromOneThreadRunOnThreadsOfTheirOwn() {
        // as the launcher starts the transport and then the pacer from its main thread
        OwnContext transport = await(OwnContext.create(vertx));
        OwnContext pacer = await(OwnContext.create(vertx));
        assertNotSame(transport.context(), pacer.context());
        assertNotEquals(await(thread(transport)), await(thread(pacer)));
    }

    @Test
    void aServiceStaysOnItsOneThread() {
        OwnContext c = await(OwnContext.create(vertx));
        assertEquals(await(thread(c)), await(thread(c)));
    }

    @Test
    void closingGivesItsDeploymentBack() {
        int before = vertx.deploymentIDs().size();
        OwnContext c = await(OwnContext.create(vertx));
        assertEquals(before + 1, vertx.deploymentIDs().size());
        await(c.close());
        assertEquals(before, vertx.deploymentIDs().size());
        await(c.close());
    }
}
