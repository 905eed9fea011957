package io.groupwire.pacer;

import io.groupwire.core.config.Env;
import io.groupwire.core.delivery.ProviderClient;
import io.vertx.core.Vertx;

/** Makes the FCM client; kept apart so that the FCM adapter's construction lives in one place. */
final class FcmClients {
    private FcmClients() {
    }

    static ProviderClient create(Vertx vertx, Env env) {
        throw new IllegalStateException("the FCM adapter is not built yet: run the pacer with "
                + "GROUPWIRE_PACER_CHANNELS=apns,sms");
    }
}
