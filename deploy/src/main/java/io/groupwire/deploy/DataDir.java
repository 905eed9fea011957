package io.groupwire.deploy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The all-in-one runner's data directory ({@code GROUPWIRE_DATA_DIR}): created with mode 700 (the
 * AOF holds phone numbers and the directory holds the admin token and the Redis password; an
 * existing directory open to others is closed and the change logged), and locked by one runner at
 * a time, so that a second runner on the same directory stops at once instead of fighting the
 * first over its Redis. The lock is the operating system's: a runner killed with {@code kill -9}
 * releases it with its process.
 */
final class DataDir implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataDir.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    static final String LOCK_FILE = "runner.lock";

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDir(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates (mode 700) and locks the directory; fails naming the directory when another runner holds it. */
    static DataDir open(Path dir) throws IOException {
        Path path = dir.toAbsolutePath();
        ownerOnly(path);
        FileChannel channel = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another Groupwire runner is using the data directory " + path
                    + "; stop it, or set GROUPWIRE_DATA_DIR to another directory");
        }
        return new DataDir(path, channel, lock);
    }

    /** Creates {@code dir} (and missing parents) with mode 700, or takes group and other access away from an existing one. */
    static void ownerOnly(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(dir);
            }
            return;
        }
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
            if (!now.equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
                LOG.warn("{} was mode {}; it holds the Redis data and secrets, so it is now 700",
                        dir, PosixFilePermissions.toString(now));
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending: the operating system releases the lock anyway
        }
    }
}
