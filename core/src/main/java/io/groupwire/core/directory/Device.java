package io.groupwire.core.directory;

import io.groupwire.core.message.Channel;

/**
 * A push registration of a user: the JSON value of one field of {@code gw:user:{uid}:devices}.
 *
 * @param id              Groupwire's id for the registration
 * @param userId          its owner
 * @param platform        APNS or FCM
 * @param token           the provider's device token
 * @param createdAtMillis when it was registered; a provider's invalidation older than this is ignored
 */
public record Device(String id, String userId, Channel platform, String token, long createdAtMillis) {
}
