package io.groupwire.push.fcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.Env;
import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.groupwire.sandbox.fcm.FcmSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FcmSettingsTest {

    static Path serviceAccount(Path dir) {
        return FcmSandbox.create("http://127.0.0.1:8090", dir, new ReceivedLog(), new SandboxFaults())
                .serviceAccountFile();
    }

    @Test
    void defaultsAreTheDocumentedOnes(@TempDir Path dir) {
        Path file = serviceAccount(dir);
        FcmSettings s = FcmSettings.fromEnv(new Env(Map.of("GROUPWIRE_FCM_SERVICE_ACCOUNT_FILE", file.toString())));

        assertEquals("https://fcm.googleapis.com", s.endpoint());
        assertEquals(Duration.ofSeconds(10), s.timeout());
        assertEquals(4, s.connections());
        assertEquals(2000, s.maxInFlight());
        assertEquals(Duration.ofHours(2), s.messageTtl());
        assertEquals(CredentialFiles.read(file).strip(), s.serviceAccountJson());
    }

    @Test
    void settingsFromTheSandboxsVariablesReachItAndNeverShowTheKey(@TempDir Path dir) {
        FcmSandbox sandbox = FcmSandbox.create("http://127.0.0.1:2222", dir, new ReceivedLog(), new SandboxFaults());
        FcmSettings s = FcmSettings.fromEnv(new Env(sandbox.clientEnvironment()));

        assertEquals("http://127.0.0.1:2222", s.endpoint());
        assertFalse(s.toString().contains("PRIVATE KEY"));
    }

    @Test
    void everyVariableIsRead(@TempDir Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("GROUPWIRE_FCM_SERVICE_ACCOUNT", CredentialFiles.read(serviceAccount(dir)));
        env.put("GROUPWIRE_FCM_ENDPOINT", "http://127.0.0.1:9/");
        env.put("GROUPWIRE_FCM_TIMEOUT", "3s");
        env.put("GROUPWIRE_FCM_CONNECTIONS", "2");
        env.put("GROUPWIRE_FCM_MAX_IN_FLIGHT", "9");
        env.put("GROUPWIRE_MESSAGE_TTL", "1h");

        FcmSettings s = FcmSettings.fromEnv(new Env(env));

        assertEquals("http://127.0.0.1:9", s.endpoint());
        assertEquals(Duration.ofSeconds(3), s.timeout());
        assertEquals(2, s.connections());
        assertEquals(9, s.maxInFlight());
        assertEquals(Duration.ofHours(1), s.messageTtl());
    }

    @Test
    void badValuesNameTheVariable(@TempDir Path dir) {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FcmSettings.fromEnv(new Env(Map.of())))
                .getMessage().contains("GROUPWIRE_FCM_SERVICE_ACCOUNT_FILE"));
        Map<String, String> env = new HashMap<>();
        env.put("GROUPWIRE_FCM_SERVICE_ACCOUNT_FILE", serviceAccount(dir).toString());
        env.put("GROUPWIRE_FCM_ENDPOINT", "ftp://example.com");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FcmSettings.fromEnv(new Env(env)))
                .getMessage().contains("GROUPWIRE_FCM_ENDPOINT"));
        env.put("GROUPWIRE_FCM_ENDPOINT", "https://fcm.googleapis.com");
        env.put("GROUPWIRE_FCM_CONNECTIONS", "0");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FcmSettings.fromEnv(new Env(env)))
                .getMessage().contains("GROUPWIRE_FCM_CONNECTIONS"));
    }

    @Test
    void theServiceAccountNeverShowsInTextOrErrors(@TempDir Path dir) {
        String json = CredentialFiles.read(serviceAccount(dir));
        FcmSettings s = FcmSettings.fromEnv(new Env(Map.of("GROUPWIRE_FCM_SERVICE_ACCOUNT", json)));
        assertFalse(s.toString().contains("PRIVATE KEY"));
        assertFalse(ServiceAccount.parse(json).toString().contains("PRIVATE KEY"));
        assertFalse(ServiceAccount.parse(json).toString().contains("MII"));

        String brokenKey = json.replaceAll("MII[A-Za-z0-9+/]{20}", "MII!!!!");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceAccount.parse(brokenKey));
        assertEquals("the FCM service account's private_key is not a PEM private key", e.getMessage());
        for (String field : new String[]{"project_id", "client_email", "private_key", "token_uri"}) {
            String without = json.replaceFirst("\"" + field + "\"", "\"x_" + field + "\"");
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ServiceAccount.parse(without));
            assertTrue(missing.getMessage().contains(field), missing.getMessage());
            assertFalse(missing.getMessage().contains("MII"));
        }
        assertThrows(IllegalArgumentException.class, () -> ServiceAccount.parse("{not json"));
        assertThrows(IllegalArgumentException.class, () -> ServiceAccount.parse("[]"));
    }
}
