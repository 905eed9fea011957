package io.groupwire.deploy.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * The size of a fault run. The defaults fit CI (about two minutes per topology on two cores) and keep the load
 * below what the machine can carry, so that expiries come from the injected stall, not from overload;
 * {@code -Dgroupwire.fault.messages=200000 -Dgroupwire.fault.seconds=600} makes a soak of it.
 *
 * @param messages       messages to send
 * @param sendSeconds    over how long (the faults happen in this window)
 * @param users          users in the directory
 * @param groupSizes     one entry per group: its size, the creator included
 * @param messageTtlSeconds the TTL the services run with (short, so that a provider stall makes expiries)
 * @param drainSeconds   how long to wait, after the last send, for everything to settle
 * @param seed           the random seed: the same seed makes the same population and timeline
 * @param faults         false runs the same load without any fault, as a baseline
 */
record FaultPlan(int messages, double sendSeconds, int users, List<Integer> groupSizes, int messageTtlSeconds,
                 int drainSeconds, long seed, boolean faults) {

    static FaultPlan fromSystemProperties() {
        int messages = Integer.getInteger("groupwire.fault.messages", 20_000);
        double seconds = Double.parseDouble(System.getProperty("groupwire.fault.seconds", "80"));
        long seed = Long.getLong("groupwire.fault.seed", System.nanoTime());
        List<Integer> sizes = new ArrayList<>();
        // most traffic in small groups, as in a real chat product, and a few large ones
        add(sizes, 60, 2);
        add(sizes, 30, 4);
        add(sizes, 10, 10);
        add(sizes, 3, 40);
        add(sizes, 1, 150);
        boolean faults = Boolean.parseBoolean(System.getProperty("groupwire.fault.inject", "true"));
        return new FaultPlan(messages, seconds, 240, List.copyOf(sizes), 30, 240, seed, faults);
    }

    /**
     * A deploy run (rolling restarts, rebalancing): the same population, a steady {@code
     * groupwire.fault.deploy.rate} messages a second (25) for {@code sendSeconds}, and a TTL long
     * enough (five minutes) that nothing may expire: every delivery must arrive exactly once.
     */
    static FaultPlan deploys(double sendSeconds) {
        FaultPlan base = fromSystemProperties();
        int rate = Integer.getInteger("groupwire.fault.deploy.rate", 25);
        return new FaultPlan((int) (rate * sendSeconds), sendSeconds, base.users(), base.groupSizes(), 300, 240,
                base.seed(), true);
    }

    private static void add(List<Integer> sizes, int groups, int size) {
        for (int i = 0; i < groups; i++) {
            sizes.add(size);
        }
    }
}
