package io.groupwire.bench;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU time spent by Redis ({@code INFO cpu}) and by this JVM over a stage, per unit of work. Unlike
 * a rate, CPU per message barely moves when something else competes for the machine, so it shows
 * what a change to the scripts or the client code saved even on a busy machine.
 */
final class CpuMeter {
    private final Redis redis;
    private final double redisStart;
    private final double jvmStart;

    private CpuMeter(Redis redis) {
        this.redis = redis;
        this.redisStart = redisSeconds(redis);
        this.jvmStart = jvmProcessSeconds();
    }

    static CpuMeter start(Redis redis) {
        return new CpuMeter(redis);
    }

    /** Seconds of Redis CPU since the start. */
    double redisSeconds() {
        return redisSeconds(redis) - redisStart;
    }

    /** Seconds of this JVM's CPU since the start (load generator included). */
    double jvmSeconds() {
        return jvmProcessSeconds() - jvmStart;
    }

    /** Microseconds of Redis CPU per unit since the start. */
    double redisMicrosPer(long units) {
        return per(redisSeconds(), units);
    }

    /** Microseconds of this JVM's CPU per unit since the start (load generator included). */
    double jvmMicrosPer(long units) {
        return per(jvmSeconds(), units);
    }

    private static double per(double seconds, long units) {
        return units == 0 ? 0 : Math.round(seconds * 1e6 / units * 100) / 100.0;
    }

    private static double redisSeconds(Redis redis) {
        String info = BenchSupport.await(redis.send(Request.cmd(Command.INFO).arg("cpu")), Duration.ofSeconds(10)).toString();
        double total = 0;
        for (String line : info.split("\r?\n")) {
            // the server's own threads, not its children (a background save would be another process)
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return total;
    }

    private static double jvmProcessSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }
}
