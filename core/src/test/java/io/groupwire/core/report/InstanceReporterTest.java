package io.groupwire.core.report;

import static io.groupwire.core.testing.Eventually.eventually;
import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.metrics.MetricNames;
import io.groupwire.core.metrics.ServiceMetrics;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InstanceReporterTest extends RedisTestBase {

    @Test
    void twoPacersReportCardsAndFiguresThatTheReaderMerges() throws Exception {
        PrometheusMeterRegistry one = ServiceMetrics.create("pacer");
        PrometheusMeterRegistry two = ServiceMetrics.create("pacer");
        InstanceReporter a = InstanceReporter.start(vertx, redis, "pacer", "p-1", one, () -> List.of("gw:{s0}:outbox:apns"));
        InstanceReporter b = InstanceReporter.start(vertx, redis, "pacer", "p-2", two, () -> List.of("gw:{s1}:outbox:apns"));
        ReportReader reader = new ReportReader(redis);
        eventually(Duration.ofSeconds(5), () -> await(reader.instances(System.currentTimeMillis())).size() == 2);

        Timer l1 = Timer.builder(MetricNames.DELIVERY_LATENCY).tag("channel", "apns").register(one);
        Timer l2 = Timer.builder(MetricNames.DELIVERY_LATENCY).tag("channel", "apns").register(two);
        for (int i = 1; i <= 100; i++) {
            l1.record(i, TimeUnit.MILLISECONDS);
            l2.record(1000 + i, TimeUnit.MILLISECONDS);
            one.counter(MetricNames.DELIVERIES_DELIVERED, "channel", "apns").increment();
            two.counter(MetricNames.DELIVERIES_DELIVERED, "channel", "apns").increment();
        }
        two.counter(MetricNames.DELIVERY_ATTEMPTS, "channel", "apns", "outcome", "retry", "reason", "x").increment(3);

        // the seconds that follow hold the 200 deliveries, each counted once, whatever second they fell in
        long from = System.currentTimeMillis() / 1000 - 1;
        Thread.sleep(2_300);
        long to = System.currentTimeMillis() / 1000 - 1;
        List<Figures> seconds = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            seconds.add(await(reader.mergedSecond(s)));
        }
        Figures sum = Figures.merge(from, (int) (to - from + 1), seconds);
        assertEquals(200L, sum.count("apns.sent"));
        assertEquals(3L, sum.count("apns.retried"));
        Percentiles p = Percentiles.of(sum.latency("apns"));
        assertEquals(200, p.count());
        assertEquals(100, p.p50(), 1);
        assertEquals(1099, p.p99(), 1099 * 0.01);

        Map<String, InstanceCard> cards = await(reader.instances(System.currentTimeMillis()));
        InstanceCard card = cards.get("pacer:p-1");
        assertEquals("pacer", card.role());
        assertEquals(List.of("gw:{s0}:outbox:apns"), card.owned());
        assertEquals(100L, card.totals().get("apns.sent"));
        assertEquals(ProcessHandle.current().pid(), card.pid());
        assertTrue(await(redis.send(Request.cmd(Command.PTTL).arg(Keys.reportCard("pacer:p-1")))).toLong() > 0);
        assertTrue(await(redis.send(Request.cmd(Command.TTL).arg(Keys.reportSecond(to)))).toLong() > 3000);

        await(a.stop());
        assertEquals(1, await(reader.instances(System.currentTimeMillis())).size());
        await(b.stop());
    }

    @Test
    void measuresTheOldestWaitingEntryOfTheQueuesItOwns() throws Exception {
        PrometheusMeterRegistry registry = ServiceMetrics.create("transport");
        String mailbox = Keys.mailbox(0).queue();
        long accepted = System.currentTimeMillis() - 30_000;
        await(redis.send(Request.cmd(Command.LPUSH).arg(mailbox)
                .arg("{\"id\":\"m1\",\"accepted_at_millis\":" + accepted + "}")
                .arg("{\"id\":\"m2\",\"accepted_at_millis\":" + System.currentTimeMillis() + "}")));
        InstanceReporter r = InstanceReporter.start(vertx, redis, "transport", "t-1", registry, () -> List.of(mailbox));
        eventually(Duration.ofSeconds(5), () -> registry.scrape().contains("groupwire_queue_oldest_age_seconds{queue=\"mailbox\""));
        double age = registry.get(MetricNames.OLDEST_WAITING_AGE).tag("queue", "mailbox").gauge().value();
        assertTrue(age >= 29 && age < 40, "age " + age);
        await(r.stop());
    }
}
