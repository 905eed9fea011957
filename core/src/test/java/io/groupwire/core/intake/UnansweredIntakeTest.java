package io.groupwire.core.intake;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.groupwire.core.ledger.DeliveryLedger;
import io.groupwire.core.ledger.Verdict;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.RedisSettings;
import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A Redis call whose answer never comes (a peer that went silent, or a client that lost the
 * answer) must fail its messages in time and must not hold the shard's later messages.
 */
class UnansweredIntakeTest {
    @Test
    void anUnansweredCallFailsItsMessagesAndFreesTheShard() {
        Vertx vertx = Vertx.vertx();
        try {
            // a peer that accepts the connection and never says a word
            NetServer silent = await(vertx.createNetServer().connectHandler(socket -> socket.handler(b -> { }))
                    .listen(0, "127.0.0.1"));
            Redis redis = Redis.createClient(vertx,
                    RedisSettings.single("redis://127.0.0.1:" + silent.actualPort(), 1).toOptions());
            MessageIntake intake = MessageIntake.builder(redis, new Shards(1)).guidTtl(Duration.ofHours(3))
                    .callTimeout(Duration.ofMillis(300)).build();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                RuntimeException first = assertThrows(RuntimeException.class, () -> await(intake.accept("g", "u", "a", "hi")));
                assertInstanceOf(TimeoutException.class, first.getCause() == null ? first : first.getCause());
                // the same shard takes the next message (and times it out too), instead of queueing it for ever
                RuntimeException second = assertThrows(RuntimeException.class, () -> await(intake.accept("g", "u", "b", "hi")));
                assertInstanceOf(TimeoutException.class, second.getCause() == null ? second : second.getCause());
            });
            // the same for a script-and-WAIT batch (here: the pacer's begin)
            DeliveryLedger ledger = new DeliveryLedger(redis, 0, Channel.SMS, "p", DeliveryLedger.Options.DEFAULTS.withBeginReplicas(1, Duration.ofMillis(100)));
            Future<List<Verdict>> begun = ledger.begin(List.of("m"), List.of("d"), 1);
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                RuntimeException e = assertThrows(RuntimeException.class, () -> await(begun));
                assertInstanceOf(TimeoutException.class, e.getCause() == null ? e : e.getCause());
            });
            redis.close();
        } finally {
            await(vertx.close());
        }
    }
}
