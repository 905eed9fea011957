package io.groupwire.pacer;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A provider inside the pacer's JVM that accepts every delivery at once, for benchmarks that must
 * measure Groupwire rather than a provider (selected with {@code GROUPWIRE_PROVIDERS=instant}).
 * It counts what it accepted; it does not keep the deliveries.
 */
public final class InstantProviderClient implements ProviderClient {
    /** One answer for all: it carries no per-delivery reference, and a shared completed future costs nothing per send. */
    private static final CompletableFuture<Outcome> ACCEPTED = CompletableFuture.completedFuture(new Outcome.Delivered("instant"));
    private final Channel channel;
    private final AtomicLong accepted = new AtomicLong();
    private final Consumer<Delivery> listener;

    public InstantProviderClient(Channel channel) {
        this(channel, d -> { });
    }

    /** @param listener told of every accepted delivery, on the pacer's thread, at the moment of acceptance */
    public InstantProviderClient(Channel channel, Consumer<Delivery> listener) {
        this.channel = channel;
        this.listener = listener;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public CompletableFuture<Outcome> send(Delivery delivery) {
        accepted.incrementAndGet();
        listener.accept(delivery);
        return ACCEPTED;
    }

    public long accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
    }
}
