package io.groupwire.push;

import io.groupwire.core.config.Env;
import io.groupwire.push.apns.ApnsSettings;
import io.groupwire.push.fcm.FcmSettings;
import io.groupwire.sandbox.apns.ApnsSandbox;
import io.groupwire.sandbox.fcm.FcmSandbox;

/**
 * Client settings that point at a sandbox, read from the variables the sandbox hands out, the way a
 * pacer in another process reads them.
 */
public final class SandboxSettings {
    private SandboxSettings() {
    }

    public static ApnsSettings apns(ApnsSandbox sandbox) {
        return ApnsSettings.fromEnv(new Env(sandbox.clientEnvironment()));
    }

    public static FcmSettings fcm(FcmSandbox sandbox) {
        return FcmSettings.fromEnv(new Env(sandbox.clientEnvironment()));
    }
}
