package io.groupwire.deploy.fault;

/**
 * Instances join and leave under load, with the providers taking about a second to answer: a
 * transport and a pacer join, then another pacer; then an original pacer leaves, then the two that
 * joined first, and the original comes back while the last newcomer leaves. Every join makes the
 * others shed queues whose batches are in progress; every leave gives queues back under load.
 */
final class Rebalance extends DeployStep {
    private final long pauseMillis;

    Rebalance(FaultSuite.Stage stage, int latencyMillis, long pauseMillis) {
        super(stage, latencyMillis, "fault-rebalance");
        this.pauseMillis = pauseMillis;
    }

    @Override
    protected void steps() throws Exception {
        ServiceProcess pacer0 = find("pacer-0");
        ServiceProcess transport2 = stage.newService("transport", 2);
        ServiceProcess pacer2 = stage.newService("pacer", 2);
        ServiceProcess pacer3 = stage.newService("pacer", 3);
        Thread.sleep(3_000);
        note("join: transport-2, pacer-2");
        startReady(transport2);
        startReady(pacer2);
        Thread.sleep(pauseMillis);
        note("join: pacer-3");
        startReady(pacer3);
        Thread.sleep(pauseMillis);
        note("leave: pacer-0");
        stop(pacer0);
        Thread.sleep(pauseMillis);
        note("leave: transport-2, pacer-2");
        stop(transport2);
        stop(pacer2);
        Thread.sleep(pauseMillis);
        note("join: pacer-0 again; leave: pacer-3");
        startReady(pacer0);
        stop(pacer3);
        Thread.sleep(pauseMillis);
    }

    private ServiceProcess find(String name) {
        return stage.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
