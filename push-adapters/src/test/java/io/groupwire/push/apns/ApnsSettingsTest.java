package io.groupwire.push.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApnsSettingsTest {
    static final String KEY = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n";

    static Map<String, String> minimal(Path keyFile) {
        Map<String, String> env = new HashMap<>();
        env.put("GROUPWIRE_APNS_KEY_FILE", keyFile.toString());
        env.put("GROUPWIRE_APNS_KEY_ID", "ABCDEFGHIJ");
        env.put("GROUPWIRE_APNS_TEAM_ID", "TEAM123456");
        env.put("GROUPWIRE_APNS_TOPIC", "io.groupwire.app");
        return env;
    }

    @Test
    void defaultsAreTheDocumentedOnes(@TempDir Path dir) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("AuthKey.p8"), KEY);

        ApnsSettings s = ApnsSettings.fromEnv(new Env(minimal(keyFile)));

        assertEquals("api.sandbox.push.apple.com", s.host());
        assertEquals(443, s.port());
        assertEquals(2, s.connections());
        assertEquals(Duration.ofSeconds(10), s.timeout());
        assertEquals(2000, s.maxInFlight());
        assertEquals(Duration.ofHours(2), s.messageTtl());
        assertNull(s.trustedCertificate());
        assertEquals(KEY.strip(), s.signingKeyPem());
    }

    @Test
    void everyVariableIsRead(@TempDir Path dir) throws Exception {
        Map<String, String> env = minimal(Files.writeString(dir.resolve("AuthKey.p8"), KEY));
        env.put("GROUPWIRE_APNS_HOST", "api.push.apple.com");
        env.put("GROUPWIRE_APNS_PORT", "2197");
        env.put("GROUPWIRE_APNS_CONNECTIONS", "4");
        env.put("GROUPWIRE_APNS_TIMEOUT", "250ms");
        env.put("GROUPWIRE_APNS_MAX_IN_FLIGHT", "7");
        env.put("GROUPWIRE_APNS_TRUSTED_CERT", "/etc/ca.pem");
        env.put("GROUPWIRE_MESSAGE_TTL", "30m");

        ApnsSettings s = ApnsSettings.fromEnv(new Env(env));

        assertEquals("api.push.apple.com", s.host());
        assertEquals(2197, s.port());
        assertEquals(4, s.connections());
        assertEquals(Duration.ofMillis(250), s.timeout());
        assertEquals(7, s.maxInFlight());
        assertEquals(Path.of("/etc/ca.pem"), s.trustedCertificate());
        assertEquals(Duration.ofMinutes(30), s.messageTtl());
    }

    @Test
    void missingOrBadValuesNameTheVariable(@TempDir Path dir) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("AuthKey.p8"), KEY);
        for (String required : new String[]{"GROUPWIRE_APNS_KEY_FILE", "GROUPWIRE_APNS_KEY_ID",
                "GROUPWIRE_APNS_TEAM_ID", "GROUPWIRE_APNS_TOPIC"}) {
            Map<String, String> env = minimal(keyFile);
            env.remove(required);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ApnsSettings.fromEnv(new Env(env)));
            assertTrue(e.getMessage().contains(required), e.getMessage());
        }
        Map<String, String> env = minimal(keyFile);
        env.put("GROUPWIRE_APNS_PORT", "70000");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApnsSettings.fromEnv(new Env(env)))
                .getMessage().contains("GROUPWIRE_APNS_PORT"));
        env.put("GROUPWIRE_APNS_PORT", "x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApnsSettings.fromEnv(new Env(env)))
                .getMessage().contains("GROUPWIRE_APNS_PORT"));
    }

    @Test
    void theKeyNeverShowsInTextOrErrors(@TempDir Path dir) throws Exception {
        ApnsSettings s = ApnsSettings.fromEnv(new Env(minimal(Files.writeString(dir.resolve("AuthKey.p8"), KEY))));
        assertFalse(s.toString().contains("c2VjcmV0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ApnsProviderClient(s));
        assertFalse(String.valueOf(e.getMessage()).contains("c2VjcmV0"));
        assertTrue(e.getMessage().contains("GROUPWIRE_APNS_KEY_FILE"));
    }
}
