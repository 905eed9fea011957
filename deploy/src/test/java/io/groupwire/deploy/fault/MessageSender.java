package io.groupwire.deploy.fault;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the run's messages at a steady rate, as well-behaved clients would: a send that gets no
 * answer or a 503 is retried with the same {@code source_guid} until the gateway accepts it, so
 * that an outage delays messages but never makes a client give up on one it may already have
 * sent. Only a 202 counts as accepted; the id it carries is what the reconciliation looks for.
 */
final class MessageSender {
    /** A message the gateway accepted: its id, where it went, who sent it and its sequence number. */
    record Accepted(String id, Population.Group group, String senderId, int seq) {
    }

    private static final long GIVE_UP_AFTER_MS = 120_000;

    private final ApiCalls api;
    private final String gateway;
    private final String runId;
    private final Map<Integer, Accepted> accepted = new ConcurrentHashMap<>();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Semaphore inFlight = new Semaphore(64);

    MessageSender(ApiCalls api, String gateway, String runId) {
        this.api = api;
        this.gateway = gateway;
        this.runId = runId;
    }

    /** The text of message {@code seq}: unique, so that an SMS body names its message. */
    static String text(String runId, int seq) {
        return "fault " + runId + " #" + seq;
    }

    /** Sends {@code count} messages spread over {@code seconds}, to groups drawn by weight, and waits for them. */
    void send(List<Population.Group> groups, int count, double seconds, Random random) throws InterruptedException {
        long start = System.nanoTime();
        long intervalNanos = (long) (seconds * 1e9 / count);
        CompletableFuture<?>[] all = new CompletableFuture<?>[count];
        for (int seq = 0; seq < count; seq++) {
            long due = start + seq * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Population.Group g = groups.get(random.nextInt(groups.size()));
            Population.Member sender = g.members().get(random.nextInt(g.members().size()));
            inFlight.acquire();
            all[seq] = attempt(g, sender, seq, System.currentTimeMillis()).whenComplete((x, e) -> inFlight.release());
        }
        CompletableFuture.allOf(all).join();
    }

    private CompletableFuture<Void> attempt(Population.Group g, Population.Member sender, int seq, long firstTry) {
        JsonObject body = new JsonObject().put("source_guid", runId + "-" + seq).put("text", text(runId, seq));
        return api.post(gateway, "/v1/groups/" + g.id() + "/messages", sender.token(), body).thenCompose(a -> {
            if (a.status() == 202) {
                accepted.put(seq, new Accepted(a.body().getString("id"), g, sender.id(), seq));
                return CompletableFuture.completedFuture(null);
            }
            if (a.status() != -1 && a.status() != 503) {
                // a 4xx is a bug of the suite or of the gateway: it must show, not be retried away
                refused.incrementAndGet();
                System.err.println("fault suite: message " + seq + " refused: " + a.status() + " " + a.body());
                return CompletableFuture.completedFuture(null);
            }
            if (a.status() == 503) {
                unavailable.incrementAndGet();
            }
            if (System.currentTimeMillis() - firstTry > GIVE_UP_AFTER_MS) {
                refused.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }
            retries.incrementAndGet();
            long delay = 100 + (long) (Math.random() * 400);
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> attempt(g, sender, seq, firstTry));
        });
    }

    Map<Integer, Accepted> accepted() {
        return accepted;
    }

    long retries() {
        return retries.get();
    }

    long unavailable() {
        return unavailable.get();
    }

    long refused() {
        return refused.get();
    }
}
