package io.groupwire.transport.events;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.directory.Device;
import io.groupwire.core.events.EventStream;
import io.groupwire.core.history.History;
import io.groupwire.core.history.HistoryLimits;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Message;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The events role against a real Redis: concurrent likes and unlikes end with the exact count, a
 * like notifies its author once, a rewind of both groups to the start of the stream changes
 * nothing, and an entry that keeps failing ends in the dead letters.
 */
class EventsServiceTest {
    static final int SHARDS = 4;
    static final String GROUP = "g_climb";
    static final String MESSAGE = "m_1";
    static final String AUTHOR = "u_author";

    Vertx vertx;
    Redis redis;
    Shards shards = new Shards(SHARDS);
    History history;
    EventsService events;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        redis = TestRedis.client(vertx);
        TestRedis.flushAll(redis);
        history = new History(redis, shards, Clock.systemUTC(), HistoryLimits.DEFAULTS);
    }

    @AfterEach
    void stop() {
        if (events != null) {
            await(events.stop());
        }
        redis.close();
        await(vertx.close());
    }

    void startEvents(int maxDeliveries) {
        events = await(EventsService.start(vertx, EventsConfig.builder().redis(TestRedis.settings(SHARDS)).port(0)
                .poll(Duration.ofMillis(5)).claimIdle(Duration.ofMillis(200)).maxDeliveries(maxDeliveries).build()));
    }

    /** A group of {@code members} users (the author among them) with one kept message of the author's, who has one device. */
    List<String> groupWithMessage(int members) {
        int s = shards.of(GROUP);
        List<String> ids = new ArrayList<>();
        Request add = Request.cmd(Command.SADD).arg(Keys.groupMembers(s, GROUP)).arg(AUTHOR);
        send(Request.cmd(Command.HSET).arg(Keys.user(AUTHOR)).arg("id").arg(AUTHOR).arg("name").arg("Alice"));
        for (int i = 0; i < members; i++) {
            String u = "u_" + i;
            ids.add(u);
            add.arg(u);
            send(Request.cmd(Command.HSET).arg(Keys.user(u)).arg("id").arg(u).arg("name").arg("Member " + i));
        }
        send(add);
        send(Request.cmd(Command.HSET).arg(Keys.group(s, GROUP)).arg("id").arg(GROUP).arg("name").arg("Climbing"));
        Device d = new Device("d_1", AUTHOR, Channel.APNS, "ab".repeat(32), System.currentTimeMillis());
        send(Request.cmd(Command.HSET).arg(Keys.userDevices(AUTHOR)).arg("d_1").arg(Json.write(d)));
        Message m = new Message(MESSAGE, GROUP, AUTHOR, "guid", "summit at noon", System.currentTimeMillis());
        send(Request.cmd(Command.HSET).arg(Keys.historyMessages(s, GROUP)).arg(MESSAGE).arg(Json.write(m)));
        send(Request.cmd(Command.ZADD).arg(Keys.history(s, GROUP)).arg(m.acceptedAtMillis()).arg(MESSAGE));
        return ids;
    }

    Response send(Request r) {
        return await(redis.send(r));
    }

    long count() {
        Response r = send(Request.cmd(Command.HGET).arg(Keys.likeCounts(shards.of(GROUP), GROUP)).arg(MESSAGE));
        return r == null ? 0 : r.toLong();
    }

    long liked() {
        return send(Request.cmd(Command.HLEN).arg(Keys.likes(shards.of(GROUP), GROUP, MESSAGE))).toLong();
    }

    long notifications() {
        return send(Request.cmd(Command.LLEN).arg(Keys.outbox(shards.of(GROUP), Channel.APNS).queue())).toLong();
    }

    long pending(String group) {
        return send(Request.cmd(Command.XPENDING).arg(Keys.events(shards.of(GROUP))).arg(group)).get(0).toLong();
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not reached in 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void concurrentLikesAndUnlikesEndWithTheExactCountAndOneNotificationPerLiker() throws Exception {
        List<String> members = groupWithMessage(50);
        startEvents(5);
        Random random = new Random(16);
        // every member likes and unlikes at random, all at once, while the consumers run
        for (int round = 0; round < 6; round++) {
            List<Future<?>> all = new ArrayList<>();
            for (String u : members) {
                all.add(random.nextBoolean() ? history.like(GROUP, MESSAGE, u) : history.unlike(GROUP, MESSAGE, u));
            }
            await(Future.all(all));
        }
        long expected = liked();
        long likers = send(Request.cmd(Command.XRANGE).arg(Keys.events(shards.of(GROUP))).arg("-").arg("+")).stream()
                .filter(e -> e.get(1).toString().contains("like.added")).map(e -> e.get(1).get(7).toString()).distinct().count();
        eventually(() -> count() == expected && pending("counters") == 0 && notifications() == likers
                && pending("notifier") == 0, "count " + expected + " and " + likers + " notifications");
        Thread.sleep(300);
        assertEquals(expected, count());
        assertEquals(likers, notifications(), "one notification per member who ever liked");

        // replay: both groups from the start of the stream
        for (String g : List.of("notifier", "counters")) {
            await(new EventStream(redis, g).rewind(SHARDS, "0"));
        }
        Thread.sleep(1_000);
        eventually(() -> pending("counters") == 0 && pending("notifier") == 0, "the replay read");
        assertEquals(expected, count(), "the replay changes no count");
        assertEquals(likers, notifications(), "the replay sends nothing");
        String metrics = events.registry().scrape();
        assertTrue(metrics.contains("groupwire_events_lag_entries{group=\"notifier\""), metrics);
    }

    @Test
    void anEntryThatKeepsFailingIsDeadLettered() throws Exception {
        groupWithMessage(1);
        // an event whose like refers to no user field: the counter's script fails on it every time
        send(Request.cmd(Command.XADD).arg(Keys.events(shards.of(GROUP))).arg("*").arg("type").arg("like.added")
                .arg("group").arg(GROUP).arg("message").arg(MESSAGE));
        startEvents(2);
        eventually(() -> send(Request.cmd(Command.LLEN).arg(Keys.deadEvents(shards.of(GROUP)))).toLong() >= 1,
                "the failing entry dead-lettered");
        eventually(() -> pending("counters") == 0, "acknowledged once dead-lettered");
        String letter = send(Request.cmd(Command.LINDEX).arg(Keys.deadEvents(shards.of(GROUP))).arg(0)).toString();
        assertTrue(letter.contains("\"consumer_group\""), letter);
    }
}
