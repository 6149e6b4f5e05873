package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.adapters.http.TokenIssuer;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server as people run it: a child process, killed and stopped with real signals. */
@Timeout(300)
class ServerProcessIT {

    private static final String ADMIN = new TokenIssuer(ServerProcess.SECRET.getBytes(StandardCharsets.UTF_8))
            .issue("root", "acme", List.of("admin"), Duration.ofHours(1));

    @TempDir
    Path temp;

    @Test
    void every_acknowledged_session_survives_sigkill_and_the_orphaned_postgres_is_recovered() throws Exception {
        Path dataDir = temp.resolve("data");
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        long orphan;
        try (ServerProcess first = ServerProcess.startMain(dataDir, Map.of())) {
            for (int i = 0; i < 6; i++) {
                TestHttp.Response created = first.http.post("/api/v1/sessions", ADMIN,
                        "{\"title\":\"session " + i + "\"}");
                assertThat(created.status()).isEqualTo(201);
                String id = created.json().get("id").asText();
                long version = created.json().get("version").asLong();
                TestHttp.Response last = first.http.post("/api/v1/sessions/" + id + "/start", ADMIN, null);
                for (int step = 0; step < i && last.status() / 100 == 2; step++) {
                    last = first.http.post("/api/v1/sessions/" + id + "/progress", ADMIN,
                            "{\"round\":" + (step + 1) + "}");
                }
                if (last.status() / 100 == 2) {
                    version = last.json().get("version").asLong();
                }
                acknowledged.put(id, version);
            }
            orphan = ServerProcess.postmasterPid(dataDir).orElseThrow();

            first.process.destroyForcibly();
            assertThat(first.awaitExit(Duration.ofSeconds(20))).contains(137);
        }
        assertThat(ServerProcess.alive(orphan)).as("the killed server's PostgreSQL outlives it").isTrue();

        try (ServerProcess second = ServerProcess.startMain(dataDir, Map.of())) {
            for (Map.Entry<String, Long> session : acknowledged.entrySet()) {
                TestHttp.Response read = second.http.get("/api/v1/sessions/" + session.getKey(), ADMIN);
                assertThat(read.status()).isEqualTo(200);
                assertThat(read.json().get("version").asLong()).as(session.getKey()).isEqualTo(session.getValue());
            }
            assertThat(acknowledged.values()).contains(2L, 7L);
            assertThat(ServerProcess.alive(orphan)).as("the orphaned PostgreSQL was stopped").isFalse();
            assertThat(second.output()).contains("left running in");
        }
    }

    @Test
    void sigterm_ends_open_streams_stops_postgres_and_exits_0() throws Exception {
        Path dataDir = temp.resolve("data");
        ServerProcess server = ServerProcess.startMain(dataDir, Map.of());
        try {
            TestHttp.Response created = server.http.post("/api/v1/sessions", ADMIN, "{\"title\":\"streamed\"}");
            String id = created.json().get("id").asText();
            HttpResponse<InputStream> stream = server.http.openStream("/api/v1/sessions/" + id + "/events", ADMIN)
                    .get(10, TimeUnit.SECONDS);
            assertThat(stream.statusCode()).isEqualTo(200);
            TestHttp.StreamReader reader = new TestHttp.StreamReader(stream.body());
            assertThat(reader.awaitLine("id: 1", Duration.ofSeconds(10))).as(reader.lines.toString()).isTrue();
            long postmaster = ServerProcess.postmasterPid(dataDir).orElseThrow();

            server.process.destroy();

            assertThat(server.awaitExit(Duration.ofSeconds(15))).as(server.output()).contains(0);
            reader.ended.get(5, TimeUnit.SECONDS);
            assertThat(ServerProcess.awaitGone(postmaster, Duration.ofSeconds(5))).isTrue();
            assertThat(ServerProcess.postmasterPid(dataDir)).isEmpty();
            assertThat(server.output()).contains("HTTP stopped", "Core closed", "Connection pool closed",
                    "Embedded PostgreSQL stopped");
            assertThat(server.output().indexOf("HTTP stopped"))
                    .isLessThan(server.output().indexOf("Core closed"));
            assertThat(server.output().indexOf("Connection pool closed"))
                    .isLessThan(server.output().indexOf("Embedded PostgreSQL stopped"));
        } finally {
            server.close();
        }
    }
}
