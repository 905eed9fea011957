package io.groupwire.pacer;

import io.groupwire.core.config.Env;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.message.Channel;
import io.groupwire.push.apns.ApnsProviderClient;
import io.groupwire.push.apns.ApnsSettings;
import io.groupwire.push.fcm.FcmProviderClient;
import io.groupwire.push.fcm.FcmSettings;
import io.groupwire.sms.twilio.TwilioSettings;
import io.groupwire.sms.twilio.TwilioSmsClient;
import io.vertx.core.Vertx;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds the pacer's provider clients from the environment: {@code GROUPWIRE_PROVIDERS=real} (the
 * default) makes the real adapters, configured by their own variables ({@code GROUPWIRE_APNS_*},
 * {@code GROUPWIRE_FCM_*}, {@code GROUPWIRE_TWILIO_*}); {@code instant} makes providers inside the
 * pacer that accept everything at once, for benchmarks.
 */
public final class ProviderClients {
    private ProviderClients() {
    }

    public static Map<Channel, ProviderClient> fromEnv(Vertx vertx, Env env, Set<Channel> channels) {
        String mode = env.string("GROUPWIRE_PROVIDERS", "real");
        if (!mode.equals("real") && !mode.equals("instant")) {
            throw new IllegalArgumentException("GROUPWIRE_PROVIDERS must be real or instant, was " + mode);
        }
        Map<Channel, ProviderClient> clients = new EnumMap<>(Channel.class);
        try {
            for (Channel c : channels) {
                clients.put(c, mode.equals("instant") ? new InstantProviderClient(c) : real(vertx, env, c));
            }
        } catch (RuntimeException e) {
            clients.values().forEach(ProviderClient::close);
            throw e;
        }
        return clients;
    }

    private static ProviderClient real(Vertx vertx, Env env, Channel channel) {
        return switch (channel) {
            case APNS -> new ApnsProviderClient(ApnsSettings.fromEnv(env));
            case FCM -> new FcmProviderClient(vertx, FcmSettings.fromEnv(env));
            case SMS -> new TwilioSmsClient(vertx, TwilioSettings.fromEnv(env));
        };
    }
}
