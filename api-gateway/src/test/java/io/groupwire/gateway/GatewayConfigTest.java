package io.groupwire.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
    static final String SECRET = "s3cret-admin-token-value";

    @Test
    void defaultsAreTheDocumentedOnes() {
        GatewayConfig c = GatewayConfig.fromEnv(new Env(Map.of("GROUPWIRE_ADMIN_TOKEN", SECRET)));
        assertEquals("0.0.0.0", c.host());
        assertEquals(8080, c.port());
        assertEquals(100_000, c.mailboxHighWater());
        assertEquals(500_000, c.outboxHighWater());
        assertEquals(Duration.ofHours(2), c.messageTtl());
        assertEquals(Duration.ofHours(3), c.guidTtl(), "source_guids outlive the message TTL");
        assertEquals(64 * 1024, c.bodyLimit());
        assertEquals(Duration.ofSeconds(2), c.redisTimeout());
        assertEquals(16, c.redis().shards());
        assertEquals(SECRET, c.adminToken());
    }

    @Test
    void variablesOverrideTheDefaults() {
        GatewayConfig c = GatewayConfig.fromEnv(new Env(Map.of("GROUPWIRE_ADMIN_TOKEN", SECRET, "GROUPWIRE_HTTP_PORT", "0",
                "GROUPWIRE_HTTP_HOST", "127.0.0.1", "GROUPWIRE_MAILBOX_HIGH_WATER", "5", "GROUPWIRE_MESSAGE_TTL", "30m",
                "GROUPWIRE_REDIS_URL", "redis://10.0.0.1:7000")));
        assertEquals(0, c.port());
        assertEquals("127.0.0.1", c.host());
        assertEquals(5, c.mailboxHighWater());
        assertEquals(Duration.ofMinutes(90), c.guidTtl());
        assertEquals("redis://10.0.0.1:7000", c.redis().endpoints().get(0));
    }

    @Test
    void itRefusesToStartWithoutAnAdminTokenAndSaysSo() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.fromEnv(new Env(Map.of())));
        assertTrue(missing.getMessage().contains("GROUPWIRE_ADMIN_TOKEN"), missing.getMessage());
        IllegalArgumentException weak = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.fromEnv(new Env(Map.of("GROUPWIRE_ADMIN_TOKEN", "short"))));
        assertFalse(weak.getMessage().contains("short"), "the message never shows the value");
    }

    @Test
    void theAdminTokenMayComeFromAFileAndNeverShowsInToString(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("admin-token");
        Files.writeString(file, SECRET + "\n");
        GatewayConfig c = GatewayConfig.fromEnv(new Env(Map.of("GROUPWIRE_ADMIN_TOKEN_FILE", file.toString())));
        assertEquals(SECRET, c.adminToken());
        assertFalse(c.toString().contains(SECRET), c.toString());
    }

    @Test
    void nonsenseValuesAreRefusedWithTheVariableNamed() {
        for (Map.Entry<String, String> bad : Map.of("GROUPWIRE_HTTP_PORT", "70000", "GROUPWIRE_MAILBOX_HIGH_WATER", "-1",
                "GROUPWIRE_BODY_LIMIT", "10", "GROUPWIRE_MESSAGE_TTL", "0s", "GROUPWIRE_REDIS_TIMEOUT", "soon").entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(
                    new Env(Map.of("GROUPWIRE_ADMIN_TOKEN", SECRET, bad.getKey(), bad.getValue()))));
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }
}
