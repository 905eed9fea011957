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
        return Delivery.builder().messageId(messageId).groupId("g-climbers").groupName("Climbers").senderId("u-ann")
                .senderName("Ann").recipientId("u-bob").deviceId("dev-1").channel(channel).address(address).text(text)
                .acceptedAtMillis(System.currentTimeMillis()).build();
    }

    /** A well-formed APNs device token (32 random bytes in hex). */
    public static String apnsToken() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }
}
