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
 * Gives the all-in-one runner an admin token and an operator token (the console's) when none is
 * configured: random ones, kept in {@code GROUPWIRE_DATA_DIR/admin-token} and {@code operator-token}
 * (mode 600) so that they survive restarts. A token itself is never printed or logged; the runner
 * prints where the file is.
 */
final class AdminToken {
    private AdminToken() {
    }

    static Env ensure(Env env, Path dataDir) throws IOException {
        return ensure(ensure(env, dataDir, "GROUPWIRE_ADMIN_TOKEN", "admin-token"), dataDir, "GROUPWIRE_OPERATOR_TOKEN",
                OPERATOR_FILE);
    }

    static final String OPERATOR_FILE = "operator-token";

    private static Env ensure(Env env, Path dataDir, String variable, String name) throws IOException {
        if (env.secret(variable) != null) {
            return env;
        }
        Path file = dataDir.resolve(name).toAbsolutePath();
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
        return env.with(Map.of(variable + "_FILE", file.toString()));
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("admin-token").toAbsolutePath();
    }

    static Path operatorFile(Path dataDir) {
        return dataDir.resolve(OPERATOR_FILE).toAbsolutePath();
    }
}
