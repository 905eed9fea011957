package io.groupwire.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.groupwire.core.message.Message;
import org.junit.jupiter.api.Test;

class MessageJsonTest {
    @Test
    void writesWhatDataBindingWrites() {
        for (Message m : new Message[] {
                new Message("0190aa", "g1", "u1", "guid-1", "hello \"there\" \u00e9\u2603\n\t\u0001 </script>", 1_700_000_000_123L),
                new Message("0190ab", "g2", "u2", null, null, 0L),
                new Message("0190ac", "g3", "u3", "", "", -5L)}) {
            assertEquals(Json.write(m), MessageJson.write(m));
            assertEquals(m, Json.read(MessageJson.write(m), Message.class));
        }
    }
}
