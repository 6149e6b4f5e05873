package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate builds its model on a thread of its own while the database starts: a failure of the database start
 * still stops startup with its own message, after the concurrent build is finished and undone.
 */
class ConcurrentStartupIT {

    @TempDir
    Path dataDir;

    @Test
    void embedded_postgres_failing_to_start_stops_startup_with_its_message_and_leaves_nothing_running()
            throws Exception {
        Files.writeString(dataDir.resolve(EmbeddedPostgresServer.DIRECTORY), "not a directory");

        assertThatThrownBy(() -> Phaseline.builder().embeddedPostgres().dataDirectory(dataDir).build())
                .isInstanceOfSatisfying(StartupException.class, e -> {
                    assertThat(e.setting()).isEqualTo(StartupException.Setting.DATA_DIRECTORY);
                    assertThat(e.getMessage()).contains("cannot start embedded PostgreSQL");
                });
        assertThat(hibernateModelThreads()).isZero();
        DataDirectoryLock.acquire(dataDir).close(); // the failed start released the data directory
    }

    @Test
    void an_unreachable_database_stops_startup_with_its_message_and_leaves_nothing_running() throws Exception {
        int port = ServerProcess.freePort();

        assertThatThrownBy(() -> Phaseline.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/none", "x", "y")
                .build())
                .isInstanceOfSatisfying(StartupException.class, e -> {
                    assertThat(e.setting()).isEqualTo(StartupException.Setting.DATABASE);
                    assertThat(e.getMessage()).contains("cannot connect to PostgreSQL");
                });
        assertThat(hibernateModelThreads()).isZero();
    }

    private static long hibernateModelThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("phaseline-hibernate-model"))
                .count();
    }
}
