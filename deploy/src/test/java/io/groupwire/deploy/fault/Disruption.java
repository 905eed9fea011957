package io.groupwire.deploy.fault;

import java.util.List;

/**
 * What a fault run does to the platform while the messages are sent: {@link Chaos} (crashes,
 * provider faults, a Redis fault), {@link RollingRestarts} (a deploy: every service stopped
 * gracefully and started again, one after the other) or {@link Rebalance} (instances join and leave).
 */
interface Disruption extends AutoCloseable {
    /** Starts disrupting, on a thread of its own. */
    void start();

    /** Ends the disruption (waiting for what it must finish) and leaves every service it owns running. */
    @Override
    void close();

    /** Why it could not do what it meant to, or null. */
    Throwable failure();

    /** What it did, when. */
    List<String> timeline();

    /** Redis faults inflicted. */
    default int redisFaults() {
        return 0;
    }

    /** The pacer crashes (kill -9) it caused, with what each left in flight. */
    default List<Crash> crashes() {
        return List.of();
    }

    /**
     * One pacer killed with {@code kill -9}.
     *
     * @param worker       the killed process's worker id
     * @param gauge        its own count of sends in flight, read from /metrics right before the kill (-1:
     *                     no answer); sends may start between that read and the kill
     * @param marksLeft    what it left in flight as Redis saw it right after the kill: deliveries claimed in
     *                     its outboxes whose ledger still holds its {@code sending} mark
     */
    /**
     * @param aliveAcrossRedisFault the pacer lived through the Redis fault, which can undo outcomes it
     *        had recorded (a failover loses unreplicated writes, an AOF replay the last second), so
     *        deliveries it had settled may be found marked later: they are the fault's, not the crash's
     */
    record Crash(String worker, long gauge, long marksLeft, boolean aliveAcrossRedisFault) {
    }
}
