package io.groupwire.core.directory;

import java.util.List;

/**
 * A group as the API shows it.
 *
 * @param id              Groupwire's id; it decides the group's shard
 * @param name            display name
 * @param creatorId       the user who created it
 * @param createdAtMillis creation time, epoch milliseconds
 * @param members         member user ids, sorted
 * @param ownerId         the member who owns it (the creator until ownership is handed over or the
 *                        creator leaves); null when the group has no members left
 * @param admins          the members named admins, sorted (the owner is not among them)
 */
public record Group(String id, String name, String creatorId, long createdAtMillis, List<String> members,
                    String ownerId, List<String> admins) {
    /** Most members a group may have. */
    public static final int MAX_MEMBERS = 5000;

    public Group {
        members = List.copyOf(members);
        admins = List.copyOf(admins);
    }

    /** A group as created: its creator owns it, and it has no admins yet. */
    public Group(String id, String name, String creatorId, long createdAtMillis, List<String> members) {
        this(id, name, creatorId, createdAtMillis, members, creatorId, List.of());
    }
}
