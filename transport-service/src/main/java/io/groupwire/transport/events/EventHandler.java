package io.groupwire.transport.events;

import io.groupwire.core.events.EventEntry;
import io.vertx.core.Future;

/**
 * What a consumer group does with one entry of an event stream. An implementation acknowledges
 * the entries it acts on itself, in the same atomic step as its effect (so that a crash never
 * applies an entry twice), and answers {@code false} for entries of no interest to it, which the
 * caller then acknowledges in bulk. Handlers are idempotent: an entry may come again after a
 * crash, a claim or a replay.
 */
interface EventHandler {
    /** The consumer group's name. */
    String group();

    /** Completes with whether the handler acted on (and acknowledged) the entry. */
    Future<Boolean> handle(EventEntry entry);
}
