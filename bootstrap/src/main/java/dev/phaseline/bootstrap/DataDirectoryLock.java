package dev.phaseline.bootstrap;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the data directory for as long as one Phaseline uses it. The operating system releases it
 * when the process dies, however it dies; so whoever holds it knows that any PostgreSQL still running in the
 * directory was left behind by a process that is gone.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "phaseline.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param dataDir the data directory; created if missing
     * @return the held lock
     * @throws StartupException if another running Phaseline (in this or another process) holds it
     */
    static DataDirectoryLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dataDir, null);
            }
            return new DataDirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(dataDir, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StartupException(StartupException.Setting.DATA_DIRECTORY,
                    "cannot use " + dataDir.toAbsolutePath() + ": " + e, e);
        } catch (StartupException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static StartupException inUse(Path dataDir, Throwable cause) {
        return new StartupException(StartupException.Setting.DATA_DIRECTORY, dataDir.toAbsolutePath()
                + " is in use by another running Phaseline; stop it or choose another data directory", cause);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
