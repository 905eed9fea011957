package io.groupwire.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryJsonTest {
    private static final List<Delivery> SAMPLES = List.of(
            Delivery.builder().id("d1").messageId("m1").groupId("g1").groupName("Gym \"crew\"").senderId("u1")
                    .senderName("Al\u00e9").recipientId("u2").deviceId("dev1").channel(Channel.APNS).address("tok")
                    .text("hi \u2603\n\t\u0001 </script>").acceptedAtMillis(1_700_000_000_123L).build(),
            Delivery.builder().id("d2").messageId("m2").channel(Channel.SMS).address("+15550000002").attempt(3).build(),
            Delivery.builder().id("d3").messageId("m3").groupId("").groupName("").senderId("").senderName("")
                    .recipientId("").deviceId("").channel(Channel.FCM).address("").text("").acceptedAtMillis(-1L)
                    .attempt(Integer.MAX_VALUE).build());

    @Test
    void writesWhatDataBindingWritesAndReadsItBack() {
        for (Delivery d : SAMPLES) {
            assertEquals(Json.write(d), DeliveryJson.write(d));
            assertEquals(d, DeliveryJson.read(DeliveryJson.write(d)));
        }
    }

    @Test
    void readsWhatDataBindingReadsAndRefusesWhatItRefuses() {
        List<String> accepted = List.of(
                // unknown fields, nested ones too, are ignored; absent optional ones are null or 0
                "{\"future\":{\"a\":[1,{\"b\":2}]},\"id\":\"d\",\"message_id\":\"m\",\"channel\":\"SMS\",\"address\":\"+1\"}",
                // what the fast reader leaves to data binding: numbers as strings, explicit nulls
                "{\"id\":\"d\",\"message_id\":\"m\",\"channel\":\"FCM\",\"address\":\"t\",\"attempt\":\"2\",\"accepted_at_millis\":null}",
                "{\"id\":\"d\",\"message_id\":\"m\",\"channel\":\"APNS\",\"address\":\"t\",\"text\":null,\"attempt\":1}");
        for (String json : accepted) {
            assertEquals(Json.read(json, Delivery.class), DeliveryJson.read(json), json);
        }
        List<String> refused = List.of("", "[]", "{\"id\":\"d\"}", "{\"id\":\"d\",\"message_id\":\"m\",\"channel\":\"pigeon\",\"address\":\"t\"}",
                "{\"id\":\"d\",\"message_id\":\"m\",\"channel\":\"SMS\",\"address\":\"t\"", "not json");
        for (String json : refused) {
            assertThrows(RuntimeException.class, () -> Json.read(json, Delivery.class), json);
            assertThrows(RuntimeException.class, () -> DeliveryJson.read(json), json);
        }
    }
}
