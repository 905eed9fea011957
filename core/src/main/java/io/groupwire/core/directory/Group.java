package io.groupwire.core.directory;

import java.util.List;

/**
 * A group as the API shows it.
 *
 * @param id              Groupwire's id; it decides the group's shard
 * @param name            display name
 * @param creatorId       the user who created it
 * @param createdAtMillis creation time, epoch milliseconds
 * @param members         member user ids
 */
public record Group(String id, String name, String creatorId, long createdAtMillis, List<String> members) {
    /** Most members a group may have. */
    public static final int MAX_MEMBERS = 5000;

    public Group {
        members = List.copyOf(members);
    }
}
