package io.groupwire.pacer;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A provider for pacer tests: answers as its script says and records every request with its time. */
final class ScriptedProvider implements ProviderClient {
    record Call(Delivery delivery, long atNanos) {
    }

    private final Channel channel;
    private final Function<Delivery, Outcome> script;
    final List<Call> calls = new CopyOnWriteArrayList<>();

    ScriptedProvider(Channel channel, Function<Delivery, Outcome> script) {
        this.channel = channel;
        this.script = script;
    }

    static ScriptedProvider accepting(Channel channel) {
        return new ScriptedProvider(channel, d -> new Outcome.Delivered("ok"));
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public CompletableFuture<Outcome> send(Delivery delivery) {
        calls.add(new Call(delivery, System.nanoTime()));
        return CompletableFuture.completedFuture(script.apply(delivery));
    }

    long callsFor(String deliveryId) {
        return calls.stream().filter(c -> c.delivery().id().equals(deliveryId)).count();
    }

    @Override
    public void close() {
    }
}
