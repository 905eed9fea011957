package io.groupwire.core.report;

import io.groupwire.core.message.Channel;
import java.util.List;

/**
 * The names of the counts in {@link Figures}: the gateway's, the transport's, and per channel the
 * pacer's deliveries by outcome ({@code CH.sent} and so on). A role that reports a figure no other
 * role knows (an inbound or SMPP role, later) adds its name here; readers ignore names they do not show.
 */
public final class FigureNames {
    /** Messages the gateway stored. */
    public static final String ACCEPTED = "accepted";
    /** Messages the gateway refused, for any reason. */
    public static final String REFUSED = "refused";
    /** Gateway requests answered 503 (back-pressure or a Redis outage). */
    public static final String UNAVAILABLE = "unavailable";
    /** Messages the transport fanned out. */
    public static final String FANNED_OUT = "fanned_out";
    /** Messages the transport dropped for being older than the TTL. */
    public static final String MESSAGES_EXPIRED = "messages_expired";

    /** Per channel, the outcomes of deliveries, in the order the console shows them. */
    public static final List<String> OUTCOMES = List.of("sent", "retried", "failed", "expired", "ambiguous", "dead_lettered");
    /** Per channel: deliveries the transport queued. */
    public static final String QUEUED = "queued";

    private FigureNames() {
    }

    /** {@code CH.what}, for example {@code apns.sent}. */
    public static String of(Channel channel, String what) {
        return channel.id() + "." + what;
    }
}
