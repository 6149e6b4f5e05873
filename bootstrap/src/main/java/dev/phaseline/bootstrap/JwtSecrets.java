package dev.phaseline.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The JWT secret Phaseline generates when none is configured: 48 random bytes, written once into the data directory
 * (readable by the owner only) and read again on every later start, so that tokens survive restarts.
 */
final class JwtSecrets {

    /** The file name inside the data directory. */
    static final String FILE_NAME = "jwt-secret";

    private static final int GENERATED_BYTES = 48;

    private JwtSecrets() {
    }

    /**
     * @param dataDir the data directory; created if missing
     * @return the secret kept there, generated now if there is none
     * @throws StartupException ({@link StartupException.Setting#DATA_DIRECTORY}) if it cannot be read or written
     */
    static byte[] loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(dataDir, file);
            }
            return read(file);
        } catch (IOException | RuntimeException e) {
            if (e instanceof StartupException startup) {
                throw startup;
            }
            throw new StartupException(StartupException.Setting.DATA_DIRECTORY,
                    "cannot keep the generated JWT secret in " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    private static void create(Path dataDir, Path file) throws IOException {
        Files.createDirectories(dataDir);
        byte[] secret = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(secret);
        // Written under another name first and moved into place, so that a crash or a concurrent start never
        // leaves a half-written secret; the first writer wins.
        Path temp = Files.createTempFile(dataDir, FILE_NAME, ".tmp", ownerOnly(dataDir));
        try {
            Files.write(temp, Base64.getEncoder().encode(secret));
            try {
                Files.createLink(file, temp);
            } catch (UnsupportedOperationException | IOException noHardLinks) {
                if (noHardLinks instanceof FileAlreadyExistsException exists) {
                    throw exists;
                }
                Files.move(temp, file);
            }
        } catch (FileAlreadyExistsException lostTheRace) {
            // another process created it first: use theirs
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly(Path dataDir) {
        if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new java.nio.file.attribute.FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            };
        }
        return new java.nio.file.attribute.FileAttribute<?>[0];
    }

    private static byte[] read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new StartupException(StartupException.Setting.DATA_DIRECTORY,
                    file.toAbsolutePath() + " does not hold a base64 secret; delete it to generate a new one", e);
        }
        if (secret.length < Config.MIN_SECRET_BYTES) {
            throw new StartupException(StartupException.Setting.DATA_DIRECTORY,
                    file.toAbsolutePath() + " holds a secret shorter than " + Config.MIN_SECRET_BYTES
                            + " bytes; delete it to generate a new one", null);
        }
        return secret;
    }
}
