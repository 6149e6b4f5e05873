package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Phaseline#close()} with a command in flight, on a database of its own outside the Phaseline, so that the
 * test's own connections outlive the shutdown. The command is held in flight by a row lock the test takes on its
 * session: the store's conditional {@code UPDATE} queues behind it until the test lets go.
 */
@Timeout(120)
class GracefulShutdownIT {

    private static final byte[] SECRET = "graceful-shutdown-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private TestDatabase database;
    private Phaseline phaseline;
    private TestHttp http;
    private String admin;

    @BeforeEach
    void start() {
        database = TestDatabase.create();
        phaseline = Phaseline.builder()
                .jdbcUrl(database.jdbcUrl(), database.user(), database.password())
                .http(0)
                .httpHost("127.0.0.1")
                .jwtSecret(SECRET)
                .build();
        http = new TestHttp(phaseline.httpPort());
        admin = phaseline.tokenIssuer().issue("root", "acme", List.of("admin"), Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        phaseline.close();
        threads.shutdownNow();
    }

    @Test
    void a_command_in_flight_when_shutdown_begins_is_answered_and_stored_while_new_requests_get_503()
            throws Exception {
        String id = createStarted();
        long version = http.get("/api/v1/sessions/" + id, admin).json().get("version").asLong();
        AtomicLong releasedAt = new AtomicLong();
        AtomicLong closedAt = new AtomicLong();

        try (Connection lock = connect(); Connection observer = connect()) {
            lock.setAutoCommit(false);
            try (PreparedStatement select = lock.prepareStatement("SELECT id FROM sessions WHERE id = ? FOR UPDATE")) {
                select.setObject(1, UUID.fromString(id));
                try (ResultSet row = select.executeQuery()) {
                    assertThat(row.next()).isTrue();
                }
            }
            CompletableFuture<TestHttp.Response> command = CompletableFuture.supplyAsync(
                    () -> http.post("/api/v1/sessions/" + id + "/progress", admin, "{\"round\":1}"), threads);
            awaitBlockedOnALock(observer);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
                phaseline.close();
                closedAt.set(System.nanoTime());
            }, threads);
            TestHttp.Response refused = awaitDraining();

            assertThat(refused.json().get("status").asInt()).isEqualTo(503);
            assertThat(refused.json().get("code").asText()).isEqualTo("unavailable");
            assertThat(refused.json().get("type").asText()).isEqualTo("urn:phaseline:problem:unavailable");
            // Long enough for a stop that does not wait to get past the drain and close the listener and the pool.
            assertThatThrownBy(() -> closing.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(command).isNotDone();

            releasedAt.set(System.nanoTime());
            lock.commit();

            TestHttp.Response answered = command.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answered.status()).as(answered.body()).isEqualTo(200);
            assertThat(answered.json().get("version").asLong()).isEqualTo(version + 1);
            assertThat(answered.json().get("progress").get("round").asInt()).isEqualTo(1);
            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(closedAt.get()).as("close() returned only after the command could go on")
                    .isGreaterThan(releasedAt.get());

            try (PreparedStatement stored = observer.prepareStatement("SELECT s.version, s.progress_round, "
                    + "(SELECT count(*) FROM session_events e WHERE e.session_id = s.id AND e.seq = s.version) "
                    + "FROM sessions s WHERE s.id = ?")) {
                stored.setObject(1, UUID.fromString(id));
                try (ResultSet row = stored.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getLong(1)).isEqualTo(version + 1);
                    assertThat(row.getInt(2)).isEqualTo(1);
                    assertThat(row.getLong(3)).as("the command's event").isEqualTo(1);
                }
            }
        }
        assertThatThrownBy(() -> http.get("/health", null))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(ConnectException.class);
        assertThat(phaseline.isReady()).as("the pool is closed").isFalse();
    }

    private String createStarted() {
        TestHttp.Response created = http.post("/api/v1/sessions", admin, "{\"title\":\"in flight\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        TestHttp.Response started = http.post("/api/v1/sessions/" + id + "/start", admin, null);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        return id;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    /** Waits until a backend of this database waits for a lock: the command is inside its transaction. */
    private static void awaitBlockedOnALock(Connection observer) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Statement statement = observer.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet waiting = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
                    waiting.next();
                    if (waiting.getLong(1) > 0) {
                        return;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        throw new AssertionError("the command did not reach the locked row within " + WAIT);
    }

    /** Polls a route that needs no database until the server refuses it for draining. */
    private TestHttp.Response awaitDraining() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        TestHttp.Response last = null;
        while (System.nanoTime() < deadline) {
            last = http.get("/health", null);
            if (last.status() == 503) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("no 503 while draining within " + WAIT + "; last: " + last);
    }
}
