package io.groupwire.core.history;

import java.util.List;

/**
 * What a history read found: the page (newest first), or why there is none.
 *
 * @param status   {@link Status#OK}, or the reason for no page
 * @param messages the page, newest first; empty unless OK
 */
public record HistoryPage(Status status, List<KeptMessage> messages) {
    /** Why a read has a page or not. */
    public enum Status {
        OK,
        /** The caller is not a member of the group, or there is no such group. */
        NOT_MEMBER,
        /** A before or after message is not (or no longer) in the history. */
        NO_MESSAGE
    }
}
