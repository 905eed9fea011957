package io.groupwire.pacer;

import io.groupwire.core.message.Delivery;
import io.vertx.core.Future;

/**
 * Unregisters a destination a provider declared dead: the device of a push delivery, or the phone
 * of an SMS. Implementations must compare and clear: a registration newer than the provider's
 * invalidation time is kept (the app re-registered the same token since).
 */
@FunctionalInterface
public interface DestinationRemover {
    /** Completes with whether something was removed. */
    Future<Boolean> remove(Delivery delivery, long invalidatedAtMillis);
}
