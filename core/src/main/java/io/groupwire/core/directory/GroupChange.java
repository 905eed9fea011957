package io.groupwire.core.directory;

/**
 * What a group operation found or did.
 *
 * @param status the outcome
 * @param group  the group after the operation, for {@link Status#OK} and {@link Status#SAME} of the
 *               operations that show it (all but removals); null otherwise
 */
public record GroupChange(Status status, Group group) {

    /** The outcomes of a group operation. */
    public enum Status {
        /** Done. */
        OK,
        /** Nothing to change: the user is a member, an admin or the owner already. */
        SAME,
        /** No such group. */
        NO_GROUP,
        /** The caller is not a member: to them the group does not exist. */
        NOT_MEMBER,
        /** The caller is a member without the right to do this. */
        FORBIDDEN,
        /** The target is not a member (or, when demoting, not an admin). */
        NO_TARGET,
        /** The group has {@link Group#MAX_MEMBERS} members already. */
        FULL,
        /** The target is not a user (checked before the group is touched). */
        NO_USER
    }
}
