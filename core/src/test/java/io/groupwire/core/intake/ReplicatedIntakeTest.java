package io.groupwire.core.intake;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.NotReplicatedException;
import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.redis.RedisSettings;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.RedisServers;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Durability by WAIT: a message is acknowledged only once a replica has it. */
class ReplicatedIntakeTest {
    @Test
    void acceptsOnlyWhatAReplicaAcknowledgedAndTheRetryIsIdempotent() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (RedisProcess primary = RedisServers.startTemporary();
             RedisProcess replica = RedisServers.start(0, Files.createTempDirectory("gw-replica"),
                     List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())))) {
            Redis redis = Redis.createClient(vertx, RedisSettings.single(primary.url(), 16).toOptions());
            Shards shards = new Shards(16);
            int s = shards.of("g1");
            await(redis.send(Request.cmd(Command.HSET).arg(Keys.group(s, "g1")).arg("id").arg("g1")));
            await(redis.send(Request.cmd(Command.SADD).arg(Keys.groupMembers(s, "g1")).arg("alice")));
            MessageIntake intake = MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3))
                    .waitForReplicas(1, Duration.ofMillis(300)).build();
            // the replica may still be syncing: wait until it acknowledges
            IntakeResult first = null;
            for (int i = 0; i < 50 && first == null; i++) {
                try {
                    first = await(intake.accept("g1", "alice", "w" + i, "hello"));
                } catch (NotReplicatedException e) {
                    Thread.sleep(100);
                }
            }
            assertEquals(IntakeResult.Status.ACCEPTED, first.status());
            replica.kill();
            RuntimeException e = assertThrows(RuntimeException.class, () -> await(intake.accept("g1", "alice", "lonely", "hi")));
            assertInstanceOf(NotReplicatedException.class, e);
            // the primary has it; once a replica is back, the client's retry gets the same message, not a second one
            long depth = await(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(s).queue()))).toLong();
            replica.restart();
            IntakeResult retry = null;
            for (int i = 0; i < 50 && retry == null; i++) {
                try {
                    retry = await(intake.accept("g1", "alice", "lonely", "hi"));
                } catch (NotReplicatedException ex) {
                    Thread.sleep(100);
                }
            }
            assertEquals(IntakeResult.Status.DUPLICATE, retry.status());
            assertEquals(depth, await(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(s).queue()))).toLong());
            redis.close();
        } finally {
            await(vertx.close());
        }
    }

    @Test
    void aRetryAnsweredByANodeDemotedToReplicaIsNotReplicatedNotAnError() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (RedisProcess primary = RedisServers.startTemporary();
             RedisProcess replica = RedisServers.start(0, Files.createTempDirectory("gw-replica"),
                     List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())))) {
            Redis redis = Redis.createClient(vertx, RedisSettings.single(primary.url(), 16).toOptions());
            Shards shards = new Shards(16);
            int s = shards.of("g1");
            await(redis.send(Request.cmd(Command.HSET).arg(Keys.group(s, "g1")).arg("id").arg("g1")));
            await(redis.send(Request.cmd(Command.SADD).arg(Keys.groupMembers(s, "g1")).arg("alice")));
            MessageIntake intake = MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3))
                    .waitForReplicas(1, Duration.ofMillis(300)).build();
            IntakeResult first = null;
            for (int i = 0; i < 50 && first == null; i++) {
                try {
                    first = await(intake.accept("g1", "alice", "d" + i, "hello"));
                } catch (NotReplicatedException e) {
                    Thread.sleep(100);
                }
            }
            assertEquals(IntakeResult.Status.ACCEPTED, first.status());
            // as after a failover the client has not noticed yet: the retry reaches the demoted node,
            // whose script only reads (a duplicate) and whose WAIT is refused
            Redis onReplica = Redis.createClient(vertx, RedisSettings.single(replica.url(), 16).toOptions());
            MessageIntake stale = MessageIntake.builder(onReplica, shards).guidTtl(Duration.ofHours(3))
                    .waitForReplicas(1, Duration.ofMillis(300)).build();
            String guid = first.message().sourceGuid();
            RuntimeException e = assertThrows(RuntimeException.class, () -> await(stale.accept("g1", "alice", guid, "hello")));
            assertInstanceOf(NotReplicatedException.class, e, String.valueOf(e.getMessage()));
            onReplica.close();
            redis.close();
        } finally {
            await(vertx.close());
        }
    }
}
