package io.groupwire.pacer;

import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.message.Channel;
import java.time.Clock;
import java.util.Objects;

/**
 * What every outbox loop of one channel shares in this pacer instance: the provider it sends to,
 * the channel's tokens, in-flight permits and pause, the retry policy, where dead destinations
 * go, the channel's metrics, and the clock. Built once per channel with {@link #builder}.
 */
record ChannelPacing(Channel channel, ProviderClient provider, TokenGate tokens, ChannelPermits permits,
                     ProviderPause pause, RetryPolicy retries, DestinationRemover remover, PacerMetrics metrics,
                     Clock clock) {

    ChannelPacing {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(permits, "permits");
        Objects.requireNonNull(pause, "pause");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(remover, "remover");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
    }

    static Builder builder(Channel channel) {
        return new Builder(channel);
    }

    /** Builds a {@link ChannelPacing}; every part is required except the clock (the system's). */
    static final class Builder {
        private final Channel channel;
        private ProviderClient provider;
        private TokenGate tokens;
        private ChannelPermits permits;
        private ProviderPause pause;
        private RetryPolicy retries;
        private DestinationRemover remover;
        private PacerMetrics metrics;
        private Clock clock = Clock.systemUTC();

        private Builder(Channel channel) {
            this.channel = channel;
        }

        Builder provider(ProviderClient provider) {
            this.provider = provider;
            return this;
        }

        Builder tokens(TokenGate tokens) {
            this.tokens = tokens;
            return this;
        }

        Builder permits(ChannelPermits permits) {
            this.permits = permits;
            return this;
        }

        Builder pause(ProviderPause pause) {
            this.pause = pause;
            return this;
        }

        Builder retries(RetryPolicy retries) {
            this.retries = retries;
            return this;
        }

        Builder remover(DestinationRemover remover) {
            this.remover = remover;
            return this;
        }

        Builder metrics(PacerMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        ChannelPacing build() {
            return new ChannelPacing(channel, provider, tokens, permits, pause, retries, remover, metrics, clock);
        }
    }
}
