package io.groupwire.deploy.fault;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The faults of a run, on a timeline: provider error rates, throttling and dropped connections
 * set through the sandbox's {@code POST /sandbox/faults}; {@code kill -9} of random transport
 * and pacer processes at random moments, each started again a moment later as a supervisor
 * would; and one Redis fault half-way. It also acts as that supervisor: a process found dead
 * that is meant to run (say it failed to start while Redis was down) is started again.
 */
final class Chaos implements Disruption {
    private final List<ServiceProcess> services;
    private final RedisTopology redis;
    private final ApiCalls api;
    private final String sandbox;
    private final double windowSeconds;
    private final int messageTtlSeconds;
    private final Random random;
    /** How long after a Redis fault no pacer is killed: twice the suite's lease, and then some. */
    private static final long QUIET_AFTER_REDIS_FAULT_MS = 12_000;
    private final Thread thread;
    private final List<String> timeline = new ArrayList<>();
    private final AtomicInteger redisFaults = new AtomicInteger();
    private final boolean[] down;
    private final InFlightMarks inFlight;
    private final List<Crash> crashes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Set<String> aliveAcrossRedisFault = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile Throwable failure;

    Chaos(List<ServiceProcess> services, RedisTopology redis, ApiCalls api, String sandbox, double windowSeconds,
          int messageTtlSeconds, Random random, InFlightMarks inFlight) {
        this.inFlight = inFlight;
        this.services = services;
        this.redis = redis;
        this.api = api;
        this.sandbox = sandbox;
        this.windowSeconds = windowSeconds;
        this.messageTtlSeconds = messageTtlSeconds;
        this.random = random;
        this.down = new boolean[services.size()];
        this.thread = new Thread(this::loop, "fault-chaos");
        thread.setDaemon(true);
    }

    @Override
    public void start() {
        thread.start();
    }

    private void loop() {
        long start = System.currentTimeMillis();
        long windowMs = (long) (windowSeconds * 1000);
        long nextKill = start + 3_000 + random.nextInt(3_000);
        long providerFaults = start + windowMs / 10;
        long redisFault = start + windowMs / 2;
        long smsStall = start + windowMs * 3 / 4;
        long smsStallEnd = smsStall + 2_000;
        long redisFaultDone = 0;
        long[] restartAt = new long[services.size()];
        long[] lastStart = new long[services.size()];
        try {
            while (!stopping) {
                long now = System.currentTimeMillis();
                if (providerFaults > 0 && now >= providerFaults) {
                    setFaults(baseFaults(), "provider faults on: errors, throttling, dropped connections, latency");
                    providerFaults = 0;
                }
                if (redisFault > 0 && now >= redisFault) {
                    note(redis.faultName() + " ...");
                    // a failover or an AOF replay can undo what a live pacer recorded just before it,
                    // so the marks of the pacers alive across the fault are not any one crash's
                    for (int k = 0; k < services.size(); k++) {
                        if (!down[k] && services.get(k).role().equals("pacer")) {
                            aliveAcrossRedisFault.add(services.get(k).worker());
                        }
                    }
                    redis.inflictFault();
                    redisFaults.incrementAndGet();
                    note("redis serving again");
                    redisFault = 0;
                    redisFaultDone = System.currentTimeMillis();
                }
                if (smsStall > 0 && now >= smsStall) {
                    // a Retry-After longer than the TTL: what is queued for SMS meanwhile must expire, counted
                    JsonObject f = baseFaults().put("sms", new JsonObject().put("throttle_rate", 1.0)
                            .put("retry_after_seconds", messageTtlSeconds + 5));
                    setFaults(f, "sms provider answers 429 Retry-After " + (messageTtlSeconds + 5) + "s");
                    smsStall = 0;
                }
                if (smsStallEnd > 0 && smsStall == 0 && now >= smsStallEnd) {
                    setFaults(baseFaults(), "sms provider back to base faults");
                    smsStallEnd = 0;
                }
                if (now >= nextKill && now - start < windowMs) {
                    int i = random.nextInt(services.size());
                    if (!down[i] && services.get(i).role().equals("pacer") && redisFault == 0
                            && now - redisFaultDone < QUIET_AFTER_REDIS_FAULT_MS) {
                        // a Redis outage near the lease's length lets leases lapse, which leaves the
                        // sends then in flight ambiguous whoever crashes: keep pacer crashes apart from
                        // it, so that each crash's count is its own
                        note("no pacer kill for " + QUIET_AFTER_REDIS_FAULT_MS / 1000 + " s after the Redis fault");
                        nextKill = now + 1_000;
                        continue;
                    }
                    if (!down[i]) {
                        ServiceProcess victim = services.get(i);
                        boolean pacer = victim.role().equals("pacer");
                        // the pacer's own count, then the kill at once: sends may still start in between
                        long gauge = pacer ? inFlight.gauge(victim) : -1;
                        victim.kill9();
                        down[i] = true;
                        restartAt[i] = now + 300 + random.nextInt(2_000);
                        if (pacer) {
                            Crash crash = new Crash(victim.worker(), gauge, inFlight.marksLeft(victim.worker()),
                                    aliveAcrossRedisFault.contains(victim.worker()));
                            crashes.add(crash);
                            note("kill -9 " + victim.name() + " (" + crash.worker() + ": " + crash.gauge()
                                    + " sends in flight by its gauge, " + crash.marksLeft() + " left marked in Redis)");
                        } else {
                            note("kill -9 " + victim.name());
                        }
                    }
                    nextKill = now + 5_000 + random.nextInt(5_000);
                }
                for (int i = 0; i < services.size(); i++) {
                    if (down[i] && now >= restartAt[i]) {
                        down[i] = false;
                        lastStart[i] = now;
                        services.get(i).start();
                        note("restart " + services.get(i).name());
                    } else if (!down[i] && !services.get(i).alive() && now - lastStart[i] > 1_000) {
                        lastStart[i] = now;
                        services.get(i).start();
                        note("supervisor: " + services.get(i).name() + " had exited; started again");
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            note("chaos failed: " + t);
        }
    }

    private static JsonObject baseFaults() {
        return new JsonObject()
                .put("apns", new JsonObject().put("error_rate", 0.03).put("throttle_rate", 0.01).put("drop_rate", 0.005))
                .put("fcm", new JsonObject().put("error_rate", 0.03).put("throttle_rate", 0.01).put("retry_after_seconds", 1)
                        .put("drop_rate", 0.005).put("latency_millis", 5))
                .put("sms", new JsonObject().put("error_rate", 0.03).put("drop_rate", 0.005).put("latency_millis", 20));
    }

    private void setFaults(JsonObject faults, String what) {
        ApiCalls.Answer a = api.post(sandbox, "/sandbox/faults", null, faults).join();
        if (a.status() != 200) {
            throw new IllegalStateException("POST /sandbox/faults answered " + a.status() + " " + a.body());
        }
        note(what);
    }

    private synchronized void note(String event) {
        timeline.add(String.format("%7.1fs %s", (System.nanoTime() - T0) / 1e9, event));
    }

    private static final long T0 = System.nanoTime();

    /** Stops inflicting faults, clears the provider faults and makes sure every service runs. */
    @Override
    public void close() {
        stopping = true;
        try {
            if (thread.isAlive()) {
                thread.join(60_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServiceProcess s : services) {
            if (!s.alive()) {
                try {
                    s.start();
                    note("restart " + s.name() + " (end of chaos)");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        setFaults(new JsonObject().put("apns", new JsonObject()).put("fcm", new JsonObject()).put("sms", new JsonObject()),
                "provider faults off");
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public int redisFaults() {
        return redisFaults.get();
    }

    @Override
    public List<Crash> crashes() {
        return List.copyOf(crashes);
    }

    @Override
    public synchronized List<String> timeline() {
        return List.copyOf(timeline);
    }
}
