package io.groupwire.deploy.fault;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RollingRestarts} and {@link Rebalance} share: the providers answering in about a
 * second (so that every graceful stop meets batches in progress), a timeline, and the steps of a
 * deploy: stop a service gracefully and check it stopped cleanly, start one and wait until it
 * says it is ready.
 */
abstract class DeployStep implements Disruption {
    private static final long READY_WITHIN_MS = 90_000;

    protected final FaultSuite.Stage stage;
    private final int latencyMillis;
    private final List<String> timeline = new ArrayList<>();
    private final Thread thread;
    private final long t0 = System.nanoTime();
    private volatile Throwable failure;

    DeployStep(FaultSuite.Stage stage, int latencyMillis, String name) {
        this.stage = stage;
        this.latencyMillis = latencyMillis;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** The disruption's own steps, on its thread. */
    protected abstract void steps() throws Exception;

    @Override
    public void start() {
        JsonObject slow = new JsonObject().put("latency_millis", latencyMillis);
        stage.setFaults(new JsonObject().put("apns", slow).put("fcm", slow).put("sms", slow));
        note("providers answer in " + latencyMillis + " ms");
        thread.start();
    }

    private void run() {
        try {
            steps();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            note("failed: " + t);
        }
    }

    /** Waits for the steps to be done (a deploy is not cut short), then lifts the providers' latency. */
    @Override
    public void close() {
        try {
            thread.join(15 * 60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stage.setFaults(new JsonObject().put("apns", new JsonObject()).put("fcm", new JsonObject()).put("sms", new JsonObject()));
        note("providers answer at once again");
    }

    /** SIGTERM, as a deploy or a scale-down does; fails the run unless the service stopped cleanly in time. */
    protected void stop(ServiceProcess s) throws InterruptedException {
        long start = System.nanoTime();
        int code = s.terminate();
        note(String.format("SIGTERM %s (%s): exit %d after %.1f s", s.name(), s.worker(), code, (System.nanoTime() - start) / 1e9));
        if (code != 143) {
            throw new IllegalStateException(s.name() + " did not stop cleanly on SIGTERM: exit code " + code);
        }
    }

    /** Starts a service and waits until its /health says it is ready. */
    protected void startReady(ServiceProcess s) throws Exception {
        long start = System.nanoTime();
        s.start();
        long deadline = System.currentTimeMillis() + READY_WITHIN_MS;
        while (stage.api().get(s.managementUrl(), "/health").status() != 200) {
            if (System.currentTimeMillis() > deadline || !s.alive()) {
                throw new IllegalStateException(s.name() + " did not become ready (alive: " + s.alive() + ")");
            }
            Thread.sleep(200);
        }
        note(String.format("started %s (%s), ready after %.1f s", s.name(), s.worker(), (System.nanoTime() - start) / 1e9));
    }

    protected synchronized void note(String event) {
        timeline.add(String.format("%7.1fs %s", (System.nanoTime() - t0) / 1e9, event));
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public synchronized List<String> timeline() {
        return List.copyOf(timeline);
    }
}
