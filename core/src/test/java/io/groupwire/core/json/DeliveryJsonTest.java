package io.groupwire.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryJsonTest {
    private static final List<Delivery> SAMPLES = List.of(
            new Delivery("d1", "m1", "g1", "Gym \"crew\"", "u1", "Al\u00e9", "u2", "dev1", Channel.APNS, "tok",
                    "hi \u2603\n\t\u0001 </script>", 1_700_000_000_123L, 0),
            new Delivery("d2", "m2", null, null, null, null, null, null, Channel.SMS, "+15550000002", null, 0L, 3),
            new Delivery("d3", "m3", "", "", "", "", "", "", Channel.FCM, "", "", -1L, Integer.MAX_VALUE));

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
