package io.groupwire.core.directory;

/**
 * What registering a device did.
 *
 * @param device        the registration, new or as it was
 * @param previousOwner the user whose registration of the same token ended because of this one, or
 *                      null when nobody else held the token
 */
public record DeviceRegistration(Device device, String previousOwner) {
}
