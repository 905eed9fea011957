package io.groupwire.core.fanout;

import io.groupwire.core.message.Delivery;
import java.util.ArrayList;
import java.util.List;

/**
 * What the transport decided for each message of one claimed batch, ready for {@link FanoutLedger}:
 * the raw mailbox entry (to acknowledge), what to do with it, and the deliveries to write.
 */
public final class FanoutBatch {
    /** What becomes of one claimed message. */
    public enum Disposition {
        /** Write its deliveries. */
        FAN,
        /** Older than the TTL: acknowledge and write nothing. */
        DROP,
        /** Cannot be processed (poison): move to the dead-letter list. */
        DEAD
    }

    /** One message's entry in the batch. */
    public record Item(String raw, String messageId, Disposition disposition, List<Delivery> deliveries) {
        public Item {
            deliveries = List.copyOf(deliveries);
        }
    }

    private final List<Item> items = new ArrayList<>();

    public FanoutBatch fan(String raw, String messageId, List<Delivery> deliveries) {
        items.add(new Item(raw, messageId, Disposition.FAN, deliveries));
        return this;
    }

    public FanoutBatch drop(String raw, String messageId) {
        items.add(new Item(raw, messageId, Disposition.DROP, List.of()));
        return this;
    }

    public FanoutBatch dead(String raw) {
        items.add(new Item(raw, null, Disposition.DEAD, List.of()));
        return this;
    }

    public List<Item> items() {
        return List.copyOf(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}
