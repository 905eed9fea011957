package io.groupwire.bench;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** The one-line progress display of a running stage: what it is doing and how many per second. */
final class Progress {
    private final PrintStream out;
    private final String label;
    private final AtomicLong counter;
    private final long start = System.nanoTime();
    private long lastCount;
    private long lastTime = start;

    Progress(PrintStream out, String label, AtomicLong counter) {
        this.out = out;
        this.label = label;
        this.counter = counter;
    }

    void tick() {
        long now = System.nanoTime();
        long c = counter.get();
        double rate = (c - lastCount) / ((now - lastTime) / 1e9);
        lastCount = c;
        lastTime = now;
        out.printf("\r  %-34s %6.1fs  %,12d done  %,10.0f/s   ", label, (now - start) / 1e9, c, rate);
        out.flush();
    }

    void done() {
        tick();
        out.println();
    }
}
