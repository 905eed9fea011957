package io.groupwire.core.inbound;

import io.groupwire.core.intake.MessageIntake;
import io.groupwire.core.reply.ReplyNumbers;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One inbound text from a phone to a pool number, whatever protocol brought it: resolves the
 * sender and group from the phone's reply numbers, handles the carriers' keywords and hands
 * anything else to the same {@link MessageIntake} as the HTTP API, with the protocol's message id
 * as source_guid so that a provider's retries are idempotent.
 */
public final class InboundTexts {
    /** Longest text, in code points, as for the HTTP API. */
    public static final int MAX_CODE_POINTS = 1000;
    private static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    private static final Set<String> START = Set.of("START", "UNSTOP");

    private final ReplyNumbers numbers;
    private final MessageIntake intake;
    private final String helpText;

    public InboundTexts(ReplyNumbers numbers, MessageIntake intake, String helpText) {
        this.numbers = Objects.requireNonNull(numbers);
        this.intake = Objects.requireNonNull(intake);
        this.helpText = Objects.requireNonNull(helpText);
        Objects.requireNonNull(numbers.pool(), "inbound texts need a number pool");
    }

    /** The reply numbers this works on. */
    public ReplyNumbers numbers() {
        return numbers;
    }

    /**
     * Takes a text from {@code from} to {@code to}. Fails (a Redis failure) only when nothing could be
     * decided; the caller answers that like BUSY.
     */
    public Future<InboundOutcome> receive(String from, String to, String text, String sourceGuid) {
        if (!numbers.pool().contains(to)) {
            return Future.succeededFuture(InboundOutcome.refused("unknown_number"));
        }
        String body = text == null ? "" : text;
        return numbers.route(from, to).compose(route -> {
            if (route.userId() == null) {
                return Future.succeededFuture(InboundOutcome.refused("unknown_phone"));
            }
            String word = body.strip().toUpperCase(Locale.ROOT);
            if (STOP.contains(word)) {
                // one confirmation only: a second STOP is answered with nothing
                return numbers.optOut(from).map(changed -> InboundOutcome.keyword("STOP", changed
                        ? "You will get no more texts from Groupwire. Reply START to get them again." : null));
            }
            if (START.contains(word)) {
                return numbers.optIn(from).map(changed -> InboundOutcome.keyword("START",
                        "You will get Groupwire texts again. Reply STOP to stop them."));
            }
            if (word.equals("HELP") || word.equals("INFO")) {
                return Future.succeededFuture(InboundOutcome.keyword("HELP", helpText));
            }
            if (route.groupId() == null) {
                return Future.succeededFuture(InboundOutcome.refused("not_member"));
            }
            if (word.equals("MUTE") || word.equals("UNMUTE")) {
                boolean mute = word.equals("MUTE");
                return numbers.mute(from, route.groupId(), mute).map(v -> InboundOutcome.keyword(word, mute
                        ? "This group's texts are muted. Reply UNMUTE to get them again."
                        : "This group's texts are back on."));
            }
            String problem = problem(body);
            if (problem != null) {
                return Future.succeededFuture(InboundOutcome.refused(problem));
            }
            return intake.accept(route.groupId(), route.userId(), sourceGuid, body).map(r -> switch (r.status()) {
                case ACCEPTED, DUPLICATE -> new InboundOutcome(InboundOutcome.Kind.ACCEPTED, null, null, r.message());
                case NO_GROUP, NOT_MEMBER -> InboundOutcome.refused("not_member");
                case CONFLICT -> InboundOutcome.refused("guid_conflict");
                case FULL -> new InboundOutcome(InboundOutcome.Kind.BUSY, "full", null, null);
            });
        });
    }

    /** The API's text rules: not blank, at most {@link #MAX_CODE_POINTS}, no control characters but tab and line breaks. */
    private static String problem(String text) {
        if (text.isBlank()) {
            return "empty_text";
        }
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            return "text_too_long";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F) {
                return "control_characters";
            }
        }
        return null;
    }
}
