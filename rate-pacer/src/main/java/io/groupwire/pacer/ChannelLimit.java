package io.groupwire.pacer;

/**
 * What one provider allows, as the pacer enforces it for all pacer instances together.
 *
 * @param perSecond   sustained rate in tokens per second (a push or an SMS segment is one token)
 * @param burst       bucket capacity: how many tokens may be spent at once after a quiet spell
 * @param maxInflight requests to this provider in progress at once, per pacer instance
 */
public record ChannelLimit(long perSecond, long burst, int maxInflight) {
    public ChannelLimit {
        if (perSecond < 1 || burst < 1 || maxInflight < 1) {
            throw new IllegalArgumentException("rate, burst and in-flight limit must be positive");
        }
    }
}
