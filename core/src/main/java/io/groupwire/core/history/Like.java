package io.groupwire.core.history;

/** A member's like of a kept message, and when it was given (epoch ms). */
public record Like(String userId, long likedAtMillis) {
}
