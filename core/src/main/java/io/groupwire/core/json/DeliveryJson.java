package io.groupwire.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A {@link Delivery}'s JSON, the same as {@link Json}'s, written and read through Jackson's streaming
 * API instead of data binding: the transport writes one per recipient and the pacer reads one per
 * send, and binding (reflective record access, property-based construction) was a tenth of the
 * JVM's time in the bench's path stage. Anything the fast reader does not expect (a number sent
 * as a string, a misspelt channel) goes to data binding, so what is accepted and refused is
 * unchanged; {@code DeliveryJsonTest} keeps the forms identical.
 */
public final class DeliveryJson {
    private DeliveryJson() {
    }

    public static String write(Delivery d) {
        StringWriter out = new StringWriter(320 + (d.text() == null ? 0 : d.text().length()));
        try {
            JsonGenerator g = Json.mapper().getFactory().createGenerator(out);
            g.writeStartObject();
            g.writeStringField("id", d.id());
            g.writeStringField("message_id", d.messageId());
            string(g, "group_id", d.groupId());
            string(g, "group_name", d.groupName());
            string(g, "sender_id", d.senderId());
            string(g, "sender_name", d.senderName());
            string(g, "recipient_id", d.recipientId());
            string(g, "device_id", d.deviceId());
            g.writeStringField("channel", d.channel().name());
            g.writeStringField("address", d.address());
            string(g, "text", d.text());
            g.writeNumberField("accepted_at_millis", d.acceptedAtMillis());
            g.writeNumberField("attempt", d.attempt());
            string(g, "from_address", d.fromAddress());
            g.writeEndObject();
            g.close();
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Reads a delivery; a malformed document raises {@link IllegalArgumentException}, as {@link Json#read} does. */
    public static Delivery read(String json) {
        Delivery d = fast(json);
        return d != null ? d : Json.read(json, Delivery.class);
    }

    /** The delivery, or null for anything but the plain form this class writes (data binding decides then). */
    private static Delivery fast(String json) {
        String id = null, messageId = null, groupId = null, groupName = null, senderId = null, senderName = null;
        String recipientId = null, deviceId = null, address = null, text = null, from = null;
        Channel channel = null;
        long acceptedAt = 0;
        int attempt = 0;
        try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (name) {
                    case "accepted_at_millis", "attempt" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT) {
                            return null;
                        }
                        if (name.equals("attempt")) {
                            attempt = p.getIntValue();
                        } else {
                            acceptedAt = p.getLongValue();
                        }
                    }
                    case "id", "message_id", "group_id", "group_name", "sender_id", "sender_name", "recipient_id",
                            "device_id", "channel", "address", "text", "from_address" -> {
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        String s = p.getText();
                        switch (name) {
                            case "id" -> id = s;
                            case "message_id" -> messageId = s;
                            case "group_id" -> groupId = s;
                            case "group_name" -> groupName = s;
                            case "sender_id" -> senderId = s;
                            case "sender_name" -> senderName = s;
                            case "recipient_id" -> recipientId = s;
                            case "device_id" -> deviceId = s;
                            case "address" -> address = s;
                            case "text" -> text = s;
                            case "from_address" -> from = s;
                            default -> {
                                for (Channel c : Channel.values()) {
                                    if (c.name().equals(s)) {
                                        channel = c;
                                    }
                                }
                                if (channel == null) {
                                    return null;
                                }
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null
                    || id == null || messageId == null || channel == null || address == null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new Delivery(id, messageId, groupId, groupName, senderId, senderName, recipientId, deviceId, channel,
                address, text, acceptedAt, attempt, from);
    }
}
