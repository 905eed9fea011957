package io.groupwire.sms.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.Env;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwilioSettingsTest {
    private static final Map<String, String> REQUIRED = Map.of(
            "GROUPWIRE_TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef",
            "GROUPWIRE_TWILIO_AUTH_TOKEN", "tok-123",
            "GROUPWIRE_TWILIO_FROM", "+15005550006");

    private static Env env(Map<String, String> vars) {
        return new Env(vars);
    }

    private static Env with(String name, String value) {
        Map<String, String> vars = new HashMap<>(REQUIRED);
        vars.put(name, value);
        return env(vars);
    }

    @Test
    void defaultsAreDocumentedOnes() {
        TwilioSettings s = TwilioSettings.fromEnv(env(REQUIRED));
        assertEquals(URI.create("https://api.twilio.com"), s.baseUrl());
        assertEquals("AC0123456789abcdef0123456789abcdef", s.accountSid());
        assertEquals("tok-123", s.authToken());
        assertEquals("+15005550006", s.from());
        assertEquals(Duration.ofSeconds(10), s.timeout());
        assertEquals(64, s.maxInFlight());
        assertEquals(Duration.ofSeconds(60), s.authRetryDelay());
    }

    @Test
    void everySettingCanBeOverridden() {
        Map<String, String> vars = new HashMap<>(REQUIRED);
        vars.put("GROUPWIRE_TWILIO_BASE_URL", "http://127.0.0.1:8090");
        vars.put("GROUPWIRE_TWILIO_TIMEOUT", "2500ms");
        vars.put("GROUPWIRE_TWILIO_MAX_INFLIGHT", "8");
        vars.put("GROUPWIRE_TWILIO_AUTH_RETRY", "5m");
        TwilioSettings s = TwilioSettings.fromEnv(env(vars));
        assertEquals(URI.create("http://127.0.0.1:8090"), s.baseUrl());
        assertEquals(Duration.ofMillis(2500), s.timeout());
        assertEquals(8, s.maxInFlight());
        assertEquals(Duration.ofMinutes(5), s.authRetryDelay());
    }

    @Test
    void theTokenCanComeFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "from-file\n");
        Map<String, String> vars = new HashMap<>(REQUIRED);
        vars.remove("GROUPWIRE_TWILIO_AUTH_TOKEN");
        vars.put("GROUPWIRE_TWILIO_AUTH_TOKEN_FILE", file.toString());
        assertEquals("from-file", TwilioSettings.fromEnv(env(vars)).authToken());
    }

    @Test
    void missingRequiredVariablesAreNamed() {
        for (String name : REQUIRED.keySet()) {
            Map<String, String> vars = new HashMap<>(REQUIRED);
            vars.remove(name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TwilioSettings.fromEnv(env(vars)));
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void invalidValuesFailAtStartUpWithoutEchoingSecrets() {
        for (String[] bad : new String[][] {
                {"GROUPWIRE_TWILIO_BASE_URL", "ftp://api.twilio.com"},
                {"GROUPWIRE_TWILIO_BASE_URL", "not a url"},
                {"GROUPWIRE_TWILIO_BASE_URL", "https://AC1:tok-123@api.twilio.com"},
                {"GROUPWIRE_TWILIO_BASE_URL", "https://api.twilio.com?x=1"},
                {"GROUPWIRE_TWILIO_ACCOUNT_SID", "AC/../../x"},
                {"GROUPWIRE_TWILIO_FROM", "15005550006"},
                {"GROUPWIRE_TWILIO_FROM", "+0123"},
                {"GROUPWIRE_TWILIO_TIMEOUT", "0s"},
                {"GROUPWIRE_TWILIO_TIMEOUT", "soon"},
                {"GROUPWIRE_TWILIO_MAX_INFLIGHT", "0"},
                {"GROUPWIRE_TWILIO_MAX_INFLIGHT", "many"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TwilioSettings.fromEnv(with(bad[0], bad[1])), bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains("GROUPWIRE_TWILIO"), e.getMessage());
            assertFalse(e.getMessage().contains("tok-123"), e.getMessage());
        }
    }

    @Test
    void toStringHidesTheToken() {
        TwilioSettings s = TwilioSettings.fromEnv(env(REQUIRED));
        assertFalse(s.toString().contains("tok-123"), s.toString());
        assertTrue(s.toString().contains("authToken=***"));
    }
}
