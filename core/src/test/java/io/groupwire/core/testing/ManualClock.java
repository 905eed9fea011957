package io.groupwire.core.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A UTC clock that shows the milliseconds a test sets, for code that takes a {@link Clock}. */
public final class ManualClock extends Clock {
    private final AtomicLong millis;

    /** @param millis the time, epoch milliseconds, which the test moves */
    public ManualClock(AtomicLong millis) {
        this.millis = millis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }
}
