package dev.phaseline.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * F16: a child JVM applies commands and prints each acknowledged one; it is killed with SIGKILL at a random moment.
 * Afterwards every acknowledged command is stored with its event, and every session's seq is gapless.
 */
class PostgresCrashIT {

    private static final Random RANDOM = new Random();
    private static final int MIN_ACKS = 10;

    @RepeatedTest(3)
    void every_acknowledged_command_survives_a_kill_and_no_session_is_half_written() throws Exception {
        TestDatabases.TestDatabase database = TestDatabases.create();
        PostgresAdapter.start(database.settings()).close();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), database.jdbcUrl(), database.user(),
                database.password() == null ? "" : database.password());
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = builder.start();
        List<String> acks = new ArrayList<>();
        long killAfterNanos = TimeUnit.MILLISECONDS.toNanos(300 + RANDOM.nextInt(1500));
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long firstAck = 0;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acks.add(line);
                    if (firstAck == 0) {
                        firstAck = System.nanoTime();
                    }
                    // A random moment, but never before the child has had work acknowledged, however slow the
                    // machine is.
                    if (acks.size() > MIN_ACKS && System.nanoTime() - firstAck > killAfterNanos) {
                        child.destroyForcibly();
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acks).as("the child acknowledged commands before it was killed").hasSizeGreaterThan(MIN_ACKS);

        Map<String, Long> versions = new HashMap<>();
        Map<String, List<Long>> seqs = new HashMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT id::text, version, last_event_seq FROM sessions")) {
                while (rows.next()) {
                    assertThat(rows.getLong(2)).isEqualTo(rows.getLong(3));
                    versions.put(rows.getString(1), rows.getLong(2));
                }
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT session_id::text, seq FROM session_events ORDER BY session_id, seq")) {
                while (rows.next()) {
                    seqs.computeIfAbsent(rows.getString(1), id -> new ArrayList<>()).add(rows.getLong(2));
                }
            }
        }
        assertThat(seqs.keySet()).isEqualTo(versions.keySet());
        versions.forEach((id, version) -> {
            List<Long> expected = new ArrayList<>();
            for (long seq = 1; seq <= version; seq++) {
                expected.add(seq);
            }
            assertThat(seqs.get(id)).as("events of session %s", id).isEqualTo(expected);
        });
        for (String ack : acks) {
            String[] parts = ack.split(" ");
            assertThat(versions.get(parts[1])).as(ack).isNotNull().isGreaterThanOrEqualTo(Long.parseLong(parts[2]));
        }
    }
}
