package io.groupwire.deploy;

import io.groupwire.core.config.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Gives the all-in-one runner an admin token when none is configured: a random one, kept in
 * {@code GROUPWIRE_DATA_DIR/admin-token} (mode 600) so that it survives restarts. The token itself
 * is never printed or logged; the runner prints where the file is.
 */
final class AdminToken {
    private AdminToken() {
    }

    static Env ensure(Env env, Path dataDir) throws IOException {
        if (env.secret("GROUPWIRE_ADMIN_TOKEN") != null) {
            return env;
        }
        Path file = dataDir.resolve("admin-token").toAbsolutePath();
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the default permissions
            }
        }
        return env.with(Map.of("GROUPWIRE_ADMIN_TOKEN_FILE", file.toString()));
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("admin-token").toAbsolutePath();
    }
}
