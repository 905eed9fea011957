package io.groupwire.sms.twilio;

import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;

/** Deliveries for the tests. */
final class Sms {
    private Sms() {
    }

    static Delivery to(String phone, String senderName, String text) {
        String messageId = "m-" + Long.toHexString(System.nanoTime());
        return new Delivery(Delivery.idFor(messageId, Channel.SMS, phone), messageId, "g1", "Hikers", "u1", senderName,
                "u2", null, Channel.SMS, phone, text, System.currentTimeMillis(), 0);
    }
}
