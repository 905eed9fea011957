package io.groupwire.core.events;

import java.util.Map;

/**
 * One entry of a shard's event stream.
 *
 * @param shard  the shard whose stream holds it
 * @param id     its stream id ({@code ms-seq})
 * @param fields its fields: {@code type} (message.accepted, like.added, like.removed, member.joined,
 *               member.left) and the type's own
 */
public record EventEntry(int shard, String id, Map<String, String> fields) {
    public String type() {
        return fields.getOrDefault("type", "");
    }

    public String field(String name) {
        return fields.get(name);
    }

    /** The epoch ms part of a stream id. */
    public static long millisOf(String streamId) {
        int dash = streamId.indexOf('-');
        return Long.parseLong(dash < 0 ? streamId : streamId.substring(0, dash));
    }
}
