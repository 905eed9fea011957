package io.groupwire.deploy.fault;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The figures of one fault run, in the words of the guarantee: accepted, delivered, expired,
 * failed, ambiguous, lost and duplicated, per channel and in all, beside the faults inflicted.
 */
final class FaultReport {
    final String topology;
    final String redisFault;
    final FaultPlan plan;
    final int accepted;
    final long refused;
    final long retries;
    final long unavailable;
    final Map<String, Integer> kills;
    final int redisFaults;
    final List<String> timeline;
    final Reconciliation.Result result;
    final double sendSeconds;
    final double drainSeconds;
    final int sandboxDropped;
    final Throwable chaosFailure;
    final List<Disruption.Crash> crashes;

    FaultReport(String topology, String redisFault, FaultPlan plan, MessageSender sender, Disruption chaos, List<ServiceProcess> services,
                Reconciliation.Result result, double sendSeconds, double drainSeconds, int sandboxDropped) {
        this.topology = topology;
        this.redisFault = redisFault;
        this.plan = plan;
        this.accepted = sender.accepted().size();
        this.refused = sender.refused();
        this.retries = sender.retries();
        this.unavailable = sender.unavailable();
        this.kills = services.stream().collect(java.util.stream.Collectors.toMap(ServiceProcess::name, ServiceProcess::kills,
                (a, b) -> a, java.util.TreeMap::new));
        this.redisFaults = chaos.redisFaults();
        this.timeline = chaos.timeline();
        this.result = result;
        this.sendSeconds = sendSeconds;
        this.drainSeconds = drainSeconds;
        this.sandboxDropped = sandboxDropped;
        this.chaosFailure = chaos.failure();
        this.crashes = chaos.crashes();
    }

    long lost() {
        return result.total().pending;
    }

    /** Deliveries found mid-send after the crash of {@code worker}. */
    long ambiguousAfter(String worker) {
        return result.ambiguousBy().getOrDefault(worker, 0L);
    }

    /** Every ambiguous delivery: found mid-send after a crash, or a timed-out request that may have reached the provider. */
    long ambiguous() {
        return result.total().ambiguous + result.total().resent;
    }

    long smsDuplicated() {
        return result.byChannel().get("sms").duplicated;
    }

    void print(PrintStream out) {
        out.println();
        out.printf("fault suite on %s Redis, seed %d: %d messages sent over %.0f s, drained in %.0f s%n",
                topology, plan.seed(), plan.messages(), sendSeconds, drainSeconds);
        out.printf("  faults: kill -9 %s; %d x %s; 503 answers %d, client retries %d%n", kills, redisFaults,
                redisFault, unavailable, retries);
        timeline.forEach(e -> out.println("    " + e));
        Reconciliation.Figures t = result.total();
        out.printf("  accepted %d  delivered %d  expired %d  failed %d  ambiguous %d  lost %d  duplicated %d"
                        + "  (of %d deliveries; refused messages %d, unexpected receipts %d)%n",
                accepted, t.delivered, t.expired, t.failed, t.ambiguous + t.resent, t.pending, t.duplicated, t.expected,
                refused, result.unexpected());
        out.println("  ambiguous: SMS found mid-send and not resent, plus push found mid-send and resent with its collapse id;");
        out.println("  resent twice: receipts of those push resends beyond the first (one notification on the device)");
        out.printf("  %-6s %9s %9s %8s %7s %9s %5s %10s %12s%n", "", "expected", "delivered", "expired", "failed", "ambiguous",
                "lost", "duplicated", "resent twice");
        result.byChannel().forEach((c, f) -> out.printf("  %-6s %9d %9d %8d %7d %9d %5d %10d %12d%n", c, f.expected,
                f.delivered, f.expired, f.failed, f.ambiguous + f.resent, f.pending, f.duplicated, f.resentDuplicates));
        result.latencyMillis().forEach((c, l) -> out.printf("  %s accept-to-provider ms, first receipt: p50 %d  p99 %d  max %d%n",
                c, l[0], l[1], l[2]));
        if (!crashes.isEmpty()) {
            out.println("  pacer crashes: ambiguous found after each, beside what it had in flight at the kill");
            out.printf("    %-22s %12s %12s %10s%n", "worker", "gauge", "marks left", "ambiguous");
            for (Disruption.Crash c : crashes) {
                out.printf("    %-22s %12d %12d %10d%s%n", c.worker(), c.gauge(), c.marksLeft(), ambiguousAfter(c.worker()),
                        c.aliveAcrossRedisFault() ? "  (lived through the Redis fault: not compared)" : "");
            }
        }
        if (!result.ambiguousBy().isEmpty()) {
            out.println("  found mid-send, by the worker whose mark it was: " + result.ambiguousBy());
        }
        if (!result.pendingExamples().isEmpty()) {
            out.println("  lost, for example: " + result.pendingExamples());
        }
        out.println();
    }

    JsonObject toJson() {
        JsonObject channels = new JsonObject();
        result.byChannel().forEach((c, f) -> {
            JsonObject o = figures(f);
            long[] l = result.latencyMillis().get(c);
            if (l != null) {
                o.put("latency_ms_p50", l[0]).put("latency_ms_p99", l[1]).put("latency_ms_max", l[2]);
            }
            channels.put(c, o);
        });
        return new JsonObject().put("topology", topology).put("seed", plan.seed()).put("messages_sent", plan.messages())
                .put("accepted", accepted).put("refused", refused).put("client_retries", retries)
                .put("unavailable_answers", unavailable).put("kills", new JsonObject(Map.copyOf(kills)))
                .put("redis_faults", redisFaults).put("send_seconds", sendSeconds).put("drain_seconds", drainSeconds)
                .put("unexpected", result.unexpected()).put("total", figures(result.total())).put("channels", channels)
                .put("crashes", new JsonArray(crashes.stream().map(c -> new JsonObject().put("worker", c.worker())
                        .put("in_flight_gauge", c.gauge()).put("marks_left", c.marksLeft()).put("alive_across_redis_fault", c.aliveAcrossRedisFault())
                        .put("ambiguous", ambiguousAfter(c.worker()))).toList()))
                .put("ambiguous_by", new JsonObject(new java.util.HashMap<>(result.ambiguousBy())))
                .put("timeline", new JsonArray(timeline));
    }

    private static JsonObject figures(Reconciliation.Figures f) {
        return new JsonObject().put("expected", f.expected).put("delivered", f.delivered).put("expired", f.expired)
                .put("failed", f.failed).put("ambiguous", f.ambiguous + f.resent).put("ambiguous_resent", f.resent)
                .put("lost", f.pending).put("duplicated", f.duplicated).put("resent_duplicates", f.resentDuplicates);
    }
}
