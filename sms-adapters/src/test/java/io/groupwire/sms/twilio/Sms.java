package io.groupwire.sms.twilio;

import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;

/** Deliveries for the tests. */
final class Sms {
    private Sms() {
    }

    static Delivery to(String phone, String senderName, String text) {
        String messageId = "m-" + Long.toHexString(System.nanoTime());
        return Delivery.builder().messageId(messageId).groupId("g1").groupName("Hikers").senderId("u1").senderName(senderName)
                .recipientId("u2").channel(Channel.SMS).address(phone).text(text).acceptedAtMillis(System.currentTimeMillis())
                .build();
    }
}
