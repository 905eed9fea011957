package io.groupwire.core.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * An instance's heartbeat: who it is, where it runs, since when, what it owns and its running
 * totals, rewritten every second with an expiry, so that an instance that stops reporting vanishes.
 *
 * @param role             gateway, transport or pacer (or a role to come)
 * @param id               the instance's id (the worker id of a transport or pacer)
 * @param host             the host name it runs on
 * @param pid              its process id
 * @param version          the Groupwire version it runs
 * @param startedAtMillis  when it started reporting
 * @param reportedAtMillis when this card was written
 * @param owned            the keys of the queues whose lease it holds (mailboxes, outboxes)
 * @param totals           its running totals of the {@link FigureNames figures} since it started
 * @param oldestAgeMillis  per kind of queue it owns (mailbox, or a channel), how long the oldest
 *                         entry waiting in them has waited
 */
public record InstanceCard(String role, String id, String host, long pid, String version, long startedAtMillis,
                           long reportedAtMillis, List<String> owned, Map<String, Long> totals,
                           Map<String, Long> oldestAgeMillis) {

    /** The instance's name in the report keys: {@code ROLE:ID}. */
    @JsonIgnore
    public String member() {
        return member(role, id);
    }

    public static String member(String role, String id) {
        return role + ":" + id;
    }
}
