package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanedPostmasterTest {

    @TempDir
    Path pgData;

    @Test
    void without_a_pid_file_there_is_nothing_to_do() {
        assertThat(OrphanedPostmaster.clear(pgData, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void a_pid_file_of_a_process_that_is_gone_is_removed() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Files.writeString(pgData.resolve("postmaster.pid"), gone.pid() + "\n" + pgData + "\n");

        assertThat(OrphanedPostmaster.clear(pgData, Duration.ofSeconds(1))).isEmpty();

        assertThat(pgData.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void a_pid_file_naming_another_program_is_removed_and_the_program_is_left_alone() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(pgData.resolve("postmaster.pid"), other.pid() + "\n" + pgData + "\n");

            assertThat(OrphanedPostmaster.clear(pgData, Duration.ofSeconds(1))).isEmpty();

            assertThat(pgData.resolve("postmaster.pid")).doesNotExist();
            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void a_garbled_pid_file_is_removed() throws Exception {
        Files.writeString(pgData.resolve("postmaster.pid"), "not a pid\n");

        assertThat(OrphanedPostmaster.clear(pgData, Duration.ofSeconds(1))).isEmpty();

        assertThat(pgData.resolve("postmaster.pid")).doesNotExist();
    }
}
