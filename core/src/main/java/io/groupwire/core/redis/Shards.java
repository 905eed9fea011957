package io.groupwire.core.redis;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Maps a group to its shard. A group always lands on the same shard, which keeps its messages in
 * one FIFO mailbox and therefore in order.
 */
public final class Shards {
    private final int count;

    public Shards(int count) {
        if (count < 1 || count > 4096) {
            throw new IllegalArgumentException("shard count must be between 1 and 4096, was " + count);
        }
        this.count = count;
    }

    public int count() {
        return count;
    }

    public int of(String groupId) {
        CRC32 crc = new CRC32();
        crc.update(groupId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }
}
