package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.phaseline.adapters.redis.testing.RedisTestServer;
import dev.phaseline.application.CreateSession;
import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import dev.phaseline.domain.Session;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One server, started in-process through the builder on embedded PostgreSQL with a pool of two connections. */
@Timeout(120)
class ServerIT {

    private static final int POOL_SIZE = 2;

    @TempDir
    static Path dataDir;

    private static Phaseline phaseline;
    private static TestHttp http;
    private static String admin;

    @BeforeAll
    static void start() {
        phaseline = Phaseline.builder()
                .embeddedPostgres()
                .dataDirectory(dataDir)
                .poolSize(POOL_SIZE)
                .http(0)
                .httpHost("127.0.0.1")
                .build();
        http = new TestHttp(phaseline.httpPort());
        admin = phaseline.tokenIssuer().issue("root", "acme", List.of("admin"), Duration.ofHours(1));
    }

    @AfterAll
    static void stop() {
        if (phaseline != null) {
            phaseline.close();
        }
    }

    @Test
    void health_and_readiness_answer_200_with_postgres_and_migrations_up() {
        TestHttp.Response health = http.get("/health", null);
        TestHttp.Response ready = http.get("/ready", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo(200);
        JsonNode checks = ready.json().get("checks");
        assertThat(checks.get("postgres").asText()).isEqualTo("up");
        assertThat(checks.get("migrations").asText()).isEqualTo("up");
        assertThat(checks.get("redis").asText()).isEqualTo("not_configured");
        assertThat(phaseline.isReady()).isTrue();
    }

    @Test
    void the_token_command_mints_a_token_the_server_accepts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"token", "--sub", "alice", "--tenant", "acme", "--roles", "user,support"},
                Map.of("PHASELINE_DATA_DIR", dataDir.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        String token = out.toString(StandardCharsets.UTF_8).strip();

        TestHttp.Response me = http.get("/api/v1/me", token);

        assertThat(code).isZero();
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("userId").asText()).isEqualTo("alice");
        assertThat(me.json().get("tenantId").asText()).isEqualTo("acme");
        assertThat(me.json().get("roles")).extracting(JsonNode::asText).containsExactlyInAnyOrder("user", "support");
    }

    @Test
    void an_embedder_works_through_the_core_and_sees_the_same_sessions_as_http() {
        Principal bob = Principal.of("bob", "acme", Role.USER);
        Session created = phaseline.core().commands().create(bob, new CreateSession("default", "embedded", null))
                .session();

        TestHttp.Response read = http.get("/api/v1/sessions/" + created.id(), admin);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("title").asText()).isEqualTo("embedded");
    }

    @Test
    void the_demo_workflow_has_its_phase_order_declared() {
        String id = createStarted("demo");
        assertThat(http.post("/api/v1/sessions/" + id + "/phase", admin, "{\"phase\":\"identify_gaps\"}").status())
                .isEqualTo(200);

        TestHttp.Response backwards = http.post("/api/v1/sessions/" + id + "/phase", admin,
                "{\"phase\":\"decomposition\"}");

        assertThat(backwards.status()).isEqualTo(409);
    }

    @Test
    void a_second_phaseline_on_the_same_data_directory_is_refused() {
        assertThatThrownBy(() -> Phaseline.builder().embeddedPostgres().dataDirectory(dataDir).build())
                .isInstanceOfSatisfying(StartupException.class, e -> {
                    assertThat(e.setting()).isEqualTo(StartupException.Setting.DATA_DIRECTORY);
                    assertThat(e.getMessage()).contains("in use by another running Phaseline");
                });
        assertThat(http.readyStatus()).isEqualTo(200);
    }

    @Test
    void the_builder_stops_on_an_unreachable_redis_before_starting_anything() {
        Path elsewhere = dataDir.resolveSibling(dataDir.getFileName() + "-redis-down");
        assertThatThrownBy(() -> Phaseline.builder().embeddedPostgres().dataDirectory(elsewhere)
                .redisUrl("redis://127.0.0.1:1").build())
                .isInstanceOfSatisfying(StartupException.class, e -> {
                    assertThat(e.setting()).isEqualTo(StartupException.Setting.REDIS);
                    assertThat(e.getMessage()).contains("127.0.0.1:1").doesNotContain("\n");
                });
        assertThat(elsewhere.resolve(EmbeddedPostgresServer.DIRECTORY)).doesNotExist();
    }

    /** Only a Redis that does not answer in time is tried again; a wrong password will not get better with time. */
    @Test
    void the_builder_stops_at_once_on_a_redis_that_refuses_its_password() {
        Path elsewhere = dataDir.resolveSibling(dataDir.getFileName() + "-redis-refused");
        try (RedisTestServer redis = RedisTestServer.start()) {
            redis.command("ACL", "SETUSER", "guarded", "on", ">the-password", "~*", "+@all");
            String wrong = "redis://guarded:not-the-password@" + redis.url().getHost() + ":" + redis.url().getPort();
            long begin = System.nanoTime();

            assertThatThrownBy(() -> Phaseline.builder().embeddedPostgres().dataDirectory(elsewhere)
                    .redisUrl(wrong).build())
                    .isInstanceOfSatisfying(StartupException.class, e -> {
                        assertThat(e.setting()).isEqualTo(StartupException.Setting.REDIS);
                        assertThat(e.getMessage()).doesNotContain("not-the-password");
                    });
            // The retry for a slow Redis would have kept trying for 15 s.
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** F12: with two pooled connections, 200 open streams still leave commands and reads prompt. */
    @Test
    void two_hundred_open_streams_hold_no_database_connection() throws Exception {
        int sessions = 100;
        int streamsPerSession = 2;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add(createStarted("default"));
        }
        int before = phaseline.core().openSubscriptions();
        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        try {
            openAtOnce(ids, streamsPerSession, streams);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (phaseline.core().openSubscriptions() < before + 200 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertThat(phaseline.core().openSubscriptions()).isGreaterThanOrEqualTo(before + 200);

            String id = ids.get(0);
            String created = prompt(() -> createStarted("default"));
            prompt(() -> expect(200, http.post("/api/v1/sessions/" + id + "/progress", admin, "{\"round\":1}")));
            prompt(() -> expect(200, http.get("/api/v1/sessions/" + created, admin)));
            prompt(() -> expect(200, http.get("/api/v1/sessions/" + id + "/history", admin)));
            prompt(() -> expect(200, http.get("/api/v1/sessions?limit=20", admin)));
            prompt(() -> expect(200, http.get("/ready", null)));
        } finally {
            for (HttpResponse<InputStream> stream : streams) {
                stream.body().close();
            }
        }
    }

    /**
     * A burst of stream handshakes, each waiting for one of two connections, grows the request threads only to what
     * two connections can use (Javalin's default pool grows towards 250, and each thread stays resident a minute).
     */
    @Test
    void a_burst_of_stream_handshakes_grows_the_request_threads_only_to_what_the_pool_can_use() throws Exception {
        long bound = 2L * POOL_SIZE + 8L * Runtime.getRuntime().availableProcessors();
        // With enough cores the bound reaches the burst, and an unbounded pool would pass as well.
        assumeTrue(bound < 200, () -> "the bound (" + bound + " threads) is not below the burst of 200 handshakes");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(createStarted("default"));
        }
        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        try {
            openAtOnce(ids, 10, streams);
            long requestThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("JettyServerThreadPool")).count();
            assertThat(requestThreads).isPositive().isLessThanOrEqualTo(bound);
        } finally {
            for (HttpResponse<InputStream> stream : streams) {
                stream.body().close();
            }
        }
    }

    /**
     * Sends every handshake before awaiting any, and adds the open streams to {@code streams} (for the caller to
     * close), checking that each answered 200.
     */
    private static void openAtOnce(List<String> ids, int perSession, List<HttpResponse<InputStream>> streams)
            throws Exception {
        List<CompletableFuture<HttpResponse<InputStream>>> opening = new ArrayList<>();
        for (String id : ids) {
            for (int j = 0; j < perSession; j++) {
                opening.add(http.openStream("/api/v1/sessions/" + id + "/events", admin));
            }
        }
        for (CompletableFuture<HttpResponse<InputStream>> future : opening) {
            streams.add(future.get(30, TimeUnit.SECONDS));
        }
        assertThat(streams).allSatisfy(stream -> assertThat(stream.statusCode()).isEqualTo(200));
    }

    private static <T> T prompt(Supplier<T> call) {
        long begin = System.nanoTime();
        T result = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(2));
        return result;
    }

    private static TestHttp.Response expect(int status, TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response;
    }

    private static String createStarted(String workflow) {
        TestHttp.Response created = expect(201, http.post("/api/v1/sessions", admin,
                "{\"workflow\":\"" + workflow + "\",\"title\":\"t\"}"));
        String id = created.json().get("id").asText();
        expect(200, http.post("/api/v1/sessions/" + id + "/start", admin, null));
        return id;
    }
}
