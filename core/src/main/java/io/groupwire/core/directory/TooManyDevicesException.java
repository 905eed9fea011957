package io.groupwire.core.directory;

/**
 * A user tried to register more devices than {@link Directory#MAX_DEVICES}. The limit exists because
 * every device multiplies the fan-out of every message to every group the user is in.
 */
public final class TooManyDevicesException extends RuntimeException {
    public TooManyDevicesException(int max) {
        super("a user may register at most " + max + " devices; remove one first", null, false, false);
    }
}
