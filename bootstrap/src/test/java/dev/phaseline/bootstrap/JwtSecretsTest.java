package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtSecretsTest {

    @TempDir
    Path dataDir;

    @Test
    void a_missing_secret_is_generated_once_and_readable_only_by_the_owner() throws Exception {
        byte[] first = JwtSecrets.loadOrCreate(dataDir.resolve("new"));

        Path file = dataDir.resolve("new").resolve(JwtSecrets.FILE_NAME);
        assertThat(first).hasSizeGreaterThanOrEqualTo(Config.MIN_SECRET_BYTES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void a_later_start_reuses_the_kept_secret() {
        byte[] first = JwtSecrets.loadOrCreate(dataDir);
        byte[] second = JwtSecrets.loadOrCreate(dataDir);

        assertThat(second).isEqualTo(first);
    }
}
