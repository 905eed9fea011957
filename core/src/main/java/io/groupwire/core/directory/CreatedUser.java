package io.groupwire.core.directory;

/**
 * A user just created, with the API token that is shown this once and never stored in clear.
 *
 * @param user  the user
 * @param token the bearer token
 */
public record CreatedUser(User user, String token) {
}
