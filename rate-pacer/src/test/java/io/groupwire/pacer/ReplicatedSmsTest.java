package io.groupwire.pacer;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.redis.RedisSettings;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.RedisServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code GROUPWIRE_WAIT_REPLICAS}, an SMS is sent only once a replica holds its sending mark:
 * while no replica acknowledges, nothing is sent; once one does, the SMS goes out once, as a first
 * attempt, not as an ambiguous leftover of the attempts the replicas refused.
 */
class ReplicatedSmsTest {
    private static final int SHARDS = 2;

    @Test
    void anSmsWaitsForAReplicaToHoldItsSendingMarkAndIsThenSentOnce() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (RedisProcess primary = RedisServers.startTemporary()) {
            Redis redis = Redis.createClient(vertx, RedisSettings.single(primary.url(), SHARDS).toOptions());
            Shards shards = new Shards(SHARDS);
            Delivery sms = Delivery.builder().messageId("m1").groupId("g1").groupName("G").senderId("s").senderName("S")
                    .recipientId("r").channel(Channel.SMS).address("+15550001111").text("hi")
                    .acceptedAtMillis(System.currentTimeMillis()).build();
            String ledger = Keys.ledger(shards.of("g1"), "m1");
            await(redis.send(Request.cmd(Command.HSET).arg(ledger).arg(sms.id()).arg("queued").arg("_open").arg(1)));
            await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.outbox(shards.of("g1"), Channel.SMS).queue()).arg(Json.write(sms))));

            PacerConfig config = PacerConfig.builder()
                    .redis(RedisSettings.single(primary.url(), SHARDS))
                    .host("127.0.0.1")
                    .port(0)
                    .channels(EnumSet.of(Channel.SMS))
                    .limitEveryChannel(new ChannelLimit(100, 100, 10))
                    .messageTtl(Duration.ofHours(2))
                    .batchSize(100)
                    .retryBase(Duration.ofMillis(50))
                    .retryMax(Duration.ofSeconds(1))
                    .maxAttempts(5)
                    .lease(Duration.ofSeconds(3))
                    .idlePoll(Duration.ofMillis(5))
                    .workerId("p-replicated")
                    .settledLedgerTtl(Duration.ofSeconds(60))
                    .waitReplicas(1)
                    .waitTimeout(Duration.ofMillis(100))
                    .build();
            ScriptedProvider provider = ScriptedProvider.accepting(Channel.SMS);
            Map<Channel, io.groupwire.core.delivery.ProviderClient> providers = new EnumMap<>(Channel.class);
            providers.put(Channel.SMS, provider);
            PacerService pacer = await(PacerService.start(vertx, config, providers, (d, at) -> Future.succeededFuture(true)));
            try {
                // no replica: the mark stays on the primary alone, and the provider is not called
                Thread.sleep(1_500);
                assertEquals(0, provider.calls.size(), "sent before a replica held the mark");
                try (RedisProcess replica = RedisServers.start(0, Files.createTempDirectory("gw-pacer-replica"),
                        List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())))) {
                    long deadline = System.currentTimeMillis() + 20_000;
                    while (!"sent".equals(field(redis, ledger, sms.id())) && System.currentTimeMillis() < deadline) {
                        Thread.sleep(50);
                    }
                    assertEquals("sent", field(redis, ledger, sms.id()));
                    assertEquals(1, provider.calls.size(), "sent once");
                    assertNull(field(redis, ledger, "amb:" + sms.id()), "the refused attempts were not taken for sends");
                }
            } finally {
                await(pacer.stop());
                redis.close();
            }
        } finally {
            await(vertx.close());
        }
    }

    private static String field(Redis redis, String key, String field) {
        Response r = await(redis.send(Request.cmd(Command.HGET).arg(key).arg(field)));
        return r == null ? null : r.toString();
    }
}
