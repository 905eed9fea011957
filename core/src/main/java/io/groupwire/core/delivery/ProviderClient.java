package io.groupwire.core.delivery;

import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import java.util.concurrent.CompletableFuture;

/**
 * A client of one push or SMS provider: the one interface the pacer sends through. Implementations
 * live in the adapter modules, one per provider.
 *
 * <p>{@link #send} never completes exceptionally: every failure, including a local one, is mapped
 * to an {@link Outcome}, so the pacer never has to guess what an exception meant.
 */
public interface ProviderClient extends AutoCloseable {

    /** The channel this client serves. */
    Channel channel();

    /** Sends one delivery; completes with the provider's answer mapped to an outcome. */
    CompletableFuture<Outcome> send(Delivery delivery);

    /**
     * What sending this delivery costs against the provider's rate limit, in the provider's units:
     * 1 for a push, the number of segments for an SMS (carriers count segments).
     */
    default int cost(Delivery delivery) {
        return 1;
    }

    /** Releases connections; waits for nothing already accepted. */
    @Override
    void close();
}
