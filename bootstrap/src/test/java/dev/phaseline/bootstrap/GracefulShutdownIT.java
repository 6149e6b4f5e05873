package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Phaseline#close()} with requests in flight, each test on a database of its own outside the Phaseline, so that
 * the test's own connections outlive the shutdown. A command is held in flight by a row lock the test takes on its
 * session (the store's conditional {@code UPDATE} queues behind it until the test lets go); a response, by a client
 * that does not read.
 */
@Timeout(120)
class GracefulShutdownIT {

    private static final byte[] SECRET = "graceful-shutdown-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private TestDatabase database;
    private Phaseline phaseline;
    private int port;
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
        port = phaseline.httpPort();
        http = new TestHttp(port);
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

    /**
     * The handlers of a request are done before its response is written; a response larger than the socket buffers
     * is then still being sent to a slow client, and that request is in flight too.
     */
    @Test
    void a_response_still_being_sent_when_shutdown_begins_reaches_a_slow_client_in_full() throws Exception {
        String input = "{\"blob\":\"" + "x".repeat(250_000) + "\"}";
        int sessions = 40; // about 10 MB of listing: more than the loopback buffers of both ends hold
        for (int i = 0; i < sessions; i++) {
            TestHttp.Response created = http.post("/api/v1/sessions", admin,
                    "{\"title\":\"large " + i + "\",\"input\":" + input + "}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }

        try (Socket client = new Socket()) {
            // Set before connecting, so the window stays this small instead of growing with the reads.
            client.setReceiveBufferSize(4096);
            client.setSoTimeout((int) WAIT.toMillis());
            client.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
            client.getOutputStream().write(("GET /api/v1/sessions?limit=200 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + admin + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            InputStream in = client.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            // Bytes on the wire mean the handlers are done: only the write is left.
            received.write(in.readNBytes(1024));
            assertThat(received.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");

            CompletableFuture<Void> closing = CompletableFuture.runAsync(phaseline::close, threads);
            // Reading on only once the server is draining keeps most of the response unsent until then.
            awaitDraining();
            in.transferTo(received);

            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            JsonNode listing = TestHttp.JSON.readTree(body(received.toByteArray()));
            assertThat(listing.get("items")).hasSize(sessions);
        }
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

    /** @return the body of a raw HTTP/1.1 response, de-chunked; fails if it ends before its length or last chunk */
    private static byte[] body(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("the end of the headers").isPositive();
        String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
        int at = end + 4;
        if (!headers.contains("transfer-encoding: chunked")) {
            // Without a length the body ends with the connection, and only its parse can tell whether it is whole.
            Matcher length = Pattern.compile("content-length: (\\d+)").matcher(headers);
            if (length.find()) {
                assertThat(response.length - at).as("body bytes received").isEqualTo(Integer.parseInt(length.group(1)));
            }
            return Arrays.copyOfRange(response, at, response.length);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int line = text.indexOf("\r\n", at);
            assertThat(line).as("a chunk header after %d body bytes", body.size()).isGreaterThan(at);
            int size = Integer.parseInt(text.substring(at, line).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            assertThat(response.length).as("a whole chunk after %d body bytes", body.size())
                    .isGreaterThanOrEqualTo(line + 2 + size + 2);
            body.write(response, line + 2, size);
            at = line + 2 + size + 2;
        }
    }
}
