package io.groupwire.deploy.fault;

import java.util.List;

/**
 * A deploy under load: every transport and pacer is stopped with SIGTERM and started again, one
 * after the other (each waits until the one before is ready again), for several rounds, while the
 * providers take about a second to answer. A graceful stop must finish and record its batches,
 * keep its leases until they are released, and leave nothing ambiguous.
 */
final class RollingRestarts extends DeployStep {
    private final int rounds;

    RollingRestarts(FaultSuite.Stage stage, int rounds, int latencyMillis) {
        super(stage, latencyMillis, "fault-rolling-restarts");
        this.rounds = rounds;
    }

    @Override
    protected void steps() throws Exception {
        List<ServiceProcess> services = List.copyOf(stage.services());
        Thread.sleep(3_000);
        for (int round = 1; round <= rounds; round++) {
            note("round " + round + " of " + rounds);
            for (ServiceProcess s : services) {
                stop(s);
                startReady(s);
                // a moment for the leases to settle, as a deploy waits between instances
                Thread.sleep(1_000);
            }
        }
    }
}
