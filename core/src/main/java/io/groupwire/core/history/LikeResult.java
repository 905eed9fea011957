package io.groupwire.core.history;

import java.util.List;

/**
 * What a like, an unlike or a list of likes found.
 *
 * @param status  {@link Status#OK}, or why nothing was done
 * @param changed for a like or an unlike: whether it changed anything (a repeat does not)
 * @param likes   for a list: who liked the message, earliest first
 */
public record LikeResult(Status status, boolean changed, List<Like> likes) {
    /** Why a like was done or not. */
    public enum Status {
        OK,
        /** The caller is not a member of the group, or there is no such group. */
        NOT_MEMBER,
        /** The message is not (or no longer) in the group's history. */
        NO_MESSAGE
    }
}
