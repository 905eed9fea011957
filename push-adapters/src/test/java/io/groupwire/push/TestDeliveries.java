package io.groupwire.push;

import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import java.util.UUID;

/** Deliveries for adapter tests: fresh message ids, a fixed group and sender. */
public final class TestDeliveries {
    private TestDeliveries() {
    }

    public static Delivery to(Channel channel, String address) {
        return to(channel, address, "hello there");
    }

    public static Delivery to(Channel channel, String address, String text) {
        String messageId = "m" + UUID.randomUUID().toString().replace("-", "");
        return new Delivery(Delivery.idFor(messageId, channel, address), messageId, "g-climbers", "Climbers", "u-ann",
                "Ann", "u-bob", "dev-1", channel, address, text, System.currentTimeMillis(), 0);
    }

    /** A well-formed APNs device token (32 random bytes in hex). */
    public static String apnsToken() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }
}
