package io.groupwire.pacer;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.vertx.core.Future;

/**
 * Unregisters dead destinations in the group directory: the device of a push delivery (only if it
 * still holds that token and was not registered after the provider invalidated it), or the phone
 * of an SMS delivery (only if the user still has that number).
 */
public final class DirectoryDestinationRemover implements DestinationRemover {
    private final Directory directory;

    public DirectoryDestinationRemover(Directory directory) {
        this.directory = directory;
    }

    @Override
    public Future<Boolean> remove(Delivery delivery, long invalidatedAtMillis) {
        if (delivery.recipientId() == null) {
            return Future.succeededFuture(false);
        }
        if (delivery.channel() == Channel.SMS) {
            return directory.removeDeadPhone(delivery.recipientId(), delivery.address());
        }
        if (delivery.deviceId() == null) {
            return Future.succeededFuture(false);
        }
        return directory.removeDeadDevice(delivery.recipientId(), delivery.deviceId(), delivery.address(), invalidatedAtMillis);
    }
}
