package io.groupwire.console;

import io.groupwire.core.message.Channel;
import io.groupwire.core.metrics.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What only the console sees, on its {@code /metrics} for Prometheus's alerts: whether each
 * provider is paused (read every second with the snapshot) and Redis's memory against its
 * {@code maxmemory} (INFO memory every few seconds; on a cluster, of whichever node answers).
 */
final class ConsoleGauges {
    static final int MEMORY_EVERY_SECONDS = 5;
    private static final Pattern USED = Pattern.compile("(?m)^used_memory:(\\d+)");
    private static final Pattern MAX = Pattern.compile("(?m)^maxmemory:(\\d+)");

    private final Map<Channel, AtomicLong> paused = new EnumMap<>(Channel.class);
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    ConsoleGauges(MeterRegistry registry) {
        for (Channel c : Channel.values()) {
            AtomicLong p = new AtomicLong();
            paused.put(c, p);
            registry.gauge(MetricNames.PROVIDER_PAUSED, Tags.of("channel", c.id()), p);
        }
        registry.gauge(MetricNames.REDIS_USED_MEMORY, used);
        registry.gauge(MetricNames.REDIS_MAX_MEMORY, max);
    }

    void paused(Channel c, boolean now) {
        paused.get(c).set(now ? 1 : 0);
    }

    void readMemory(Redis redis) {
        redis.send(Request.cmd(Command.INFO).arg("memory")).onSuccess(r -> {
            String text = r.toString();
            Matcher u = USED.matcher(text);
            Matcher m = MAX.matcher(text);
            if (u.find()) {
                used.set(Long.parseLong(u.group(1)));
            }
            if (m.find()) {
                max.set(Long.parseLong(m.group(1)));
            }
        });
    }
}
