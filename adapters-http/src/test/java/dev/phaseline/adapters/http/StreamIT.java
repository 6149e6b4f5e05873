package dev.phaseline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class StreamIT {

    static TestServer server;
    static Client client;
    static String alice;
    static String worker;

    @BeforeAll
    static void start() {
        // Tiny subscriber and stream buffers, so that a reader that stops reading overflows its stream fast; a write
        // timeout long enough that the overflow, not the timeout, is what ends it.
        server = new TestServer(4, Duration.ofMillis(300), Duration.ofSeconds(60), 256 * 1024, Map.of());
        client = server.client();
        alice = server.token("alice", "acme", "user");
        worker = server.token("bot", "acme", "worker");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String create(String token) {
        Client.Reply reply = client.post("/api/v1/sessions", token, "{}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    static void ok(Client.Reply reply) {
        assertThat(reply.status()).as(reply.text()).isBetween(200, 204);
    }

    static String running(String token) {
        String id = create(token);
        ok(client.post("/api/v1/sessions/" + id + "/start", token, null));
        return id;
    }

    @Test
    void a_cache_older_than_the_store_is_never_served_and_a_paused_stream_opens() {
        String id = running(alice);
        String base = "/api/v1/sessions/" + id;
        Session old = server.store.find(SessionId.parse(id)).orElseThrow();
        ok(client.post(base + "/pause", alice, "{\"reason\":\"lunch\"}"));
        server.cache.remove(old.id());
        server.cache.put(old);
        assertThat(server.cache.get(old.id())).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(2));

        JsonNode read = client.get(base, alice).json();
        assertThat(read.get("status").asText()).isEqualTo("paused");
        assertThat(read.get("version").asLong()).isEqualTo(3);
        JsonNode status = client.get(base + "/status", alice).json();
        assertThat(status.get("status").asText()).isEqualTo("paused");
        assertThat(status.at("/pause/reason").asText()).isEqualTo("requested");

        server.cache.remove(old.id());
        server.cache.put(old);
        try (Client.Stream stream = client.stream(base + "/events", alice, "Accept", "application/json")) {
            assertThat(stream.status()).isEqualTo(200);
            List<String> types = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                types.add(stream.nextEvent().event());
            }
            assertThat(types).containsExactly("session.created", "session.started", "session.paused");
        }
    }

    @Test
    void the_stream_is_served_whatever_accept_says_and_sends_heartbeats() {
        String id = create(alice);
        try (Client.Stream stream = client.stream("/api/v1/sessions/" + id + "/events", alice,
                "Accept", "text/html")) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(stream.next().retry()).isEqualTo("2000");
            assertThat(stream.nextEvent().event()).isEqualTo("session.created");
            Client.Frame ping = stream.poll();
            assertThat(ping.comments()).contains("ping");
        }
    }

    @Test
    void a_client_that_goes_away_closes_its_subscription() throws InterruptedException {
        String id = create(alice);
        awaitSubscriptions(0);
        Client.Stream stream = client.stream("/api/v1/sessions/" + id + "/events", alice);
        assertThat(stream.nextEvent().event()).isEqualTo("session.created");
        assertThat(server.core.openSubscriptions()).isEqualTo(1);
        stream.close();
        awaitSubscriptions(0);
    }

    /** Streams whose client left earlier close at their next heartbeat; wait for them. */
    private static void awaitSubscriptions(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.core.openSubscriptions() != count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server.core.openSubscriptions()).isEqualTo(count);
    }

    @Test
    void a_payload_with_newlines_and_data_lines_arrives_as_one_event() {
        String id = running(alice);
        String nasty = "line one\n\ndata: injected\n\nevent: evil\r\nid: 999\n";
        try (Client.Stream stream = client.stream("/api/v1/sessions/" + id + "/events?after=2", alice)) {
            String body = "{\"type\":\"note\",\"data\":{\"text\":" + Client.MAPPER.valueToTree(nasty) + "}}";
            assertThat(client.post("/api/v1/sessions/" + id + "/events", worker, body).status()).isEqualTo(201);
            assertThat(client.post("/api/v1/sessions/" + id + "/events", worker, "{\"type\":\"after\"}").status())
                    .isEqualTo(201);
            Client.Frame note = stream.nextEvent();
            assertThat(note.event()).isEqualTo("note");
            assertThat(note.id()).isEqualTo("3");
            assertThat(note.json().at("/data/text").asText()).isEqualTo(nasty);
            Client.Frame next = stream.nextEvent();
            assertThat(next.event()).isEqualTo("after");
            assertThat(next.id()).isEqualTo("4");
        }
    }

    @Test
    void a_reconnect_with_last_event_id_gets_exactly_the_missed_events_then_live_ones() {
        String id = running(alice);
        String path = "/api/v1/sessions/" + id + "/events";
        try (Client.Stream first = client.stream(path, alice)) {
            assertThat(first.nextEvent().id()).isEqualTo("1");
            assertThat(first.nextEvent().id()).isEqualTo("2");
        }
        for (int i = 0; i < 3; i++) {
            ok(client.post("/api/v1/sessions/" + id + "/events", worker, "{\"type\":\"missed\"}"));
        }
        try (Client.Stream again = client.stream(path + "?after=1", alice, "Last-Event-ID", "2")) {
            assertThat(again.nextEvent().id()).isEqualTo("3");
            assertThat(again.nextEvent().id()).isEqualTo("4");
            assertThat(again.nextEvent().id()).isEqualTo("5");
            ok(client.post("/api/v1/sessions/" + id + "/events", worker, "{\"type\":\"live\"}"));
            Client.Frame live = again.nextEvent();
            assertThat(live.id()).isEqualTo("6");
            assertThat(live.event()).isEqualTo("live");
        }
        try (Client.Stream byQuery = client.stream(path + "?after=4", alice)) {
            assertThat(byQuery.nextEvent().id()).isEqualTo("5");
        }
    }

    @Test
    void a_feed_reconnect_with_last_event_id_gets_exactly_the_missed_events_in_order_then_live_ones() {
        // A tenant of its own, so that the feed holds only what this test drives.
        String tenant = "feed-" + UUID.randomUUID();
        String owner = server.token("olive", tenant, "user");
        String bot = server.token("bot", tenant, "worker");
        String support = server.token("sam", tenant, "support");
        String id = running(owner);
        String append = "/api/v1/sessions/" + id + "/events";
        int beforeDrop = 20;
        int afterDrop = 10;
        int readBeforeDrop = 5;

        String lastId;
        try (Client.Stream feed = client.stream("/api/v1/events", support)) {
            assertThat(feed.status()).isEqualTo(200);
            assertThat(feed.nextEvent().event()).isEqualTo("session.created");
            assertThat(feed.nextEvent().event()).isEqualTo("session.started");
            // Traffic keeps coming while the client reads, so the drop may leave events in flight on the connection.
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                for (int n = 1; n <= beforeDrop; n++) {
                    ok(client.post(append, bot, "{\"type\":\"tick\",\"data\":{\"n\":" + n + "}}"));
                }
            });
            Client.Frame frame = null;
            for (int n = 1; n <= readBeforeDrop; n++) {
                frame = feed.nextEvent();
                assertThat(frame.json().at("/data/n").asInt()).isEqualTo(n);
            }
            lastId = frame.id();
            feed.close();
            traffic.orTimeout(30, TimeUnit.SECONDS).join();
        }
        for (int n = beforeDrop + 1; n <= beforeDrop + afterDrop; n++) {
            ok(client.post(append, bot, "{\"type\":\"tick\",\"data\":{\"n\":" + n + "}}"));
        }

        try (Client.Stream resumed = client.stream("/api/v1/events", support, "Last-Event-ID", lastId)) {
            assertThat(resumed.status()).isEqualTo(200);
            long previous = Long.parseLong(lastId);
            for (int n = readBeforeDrop + 1; n <= beforeDrop + afterDrop; n++) {
                Client.Frame frame = resumed.nextEvent();
                assertThat(frame.event()).as("event %d", n).isEqualTo("tick");
                assertThat(frame.json().at("/data/n").asInt()).as("event %d", n).isEqualTo(n);
                assertThat(frame.id()).isEqualTo(frame.json().get("position").asText());
                assertThat(Long.parseLong(frame.id())).as("event %d", n).isGreaterThan(previous);
                previous = Long.parseLong(frame.id());
            }
            // Nothing doubled or left over after the missed ones: the very next event is the next live one.
            ok(client.post(append, bot, "{\"type\":\"live\"}"));
            Client.Frame live = resumed.nextEvent();
            assertThat(live.event()).isEqualTo("live");
            assertThat(Long.parseLong(live.id())).isGreaterThan(previous);
        }
    }

    @Test
    void a_reconnect_after_the_end_gets_the_rest_the_end_and_the_close_at_once() {
        String id = running(alice);
        ok(client.post("/api/v1/sessions/" + id + "/kill", alice, "{\"reason\":\"done\"}"));
        try (Client.Stream stream = client.stream("/api/v1/sessions/" + id + "/events", alice,
                "Last-Event-ID", "2")) {
            Client.Frame killed = stream.nextEvent();
            assertThat(killed.event()).isEqualTo("session.killed");
            Client.Frame end = stream.nextEvent();
            assertThat(end.event()).isEqualTo("end");
            assertThat(end.id()).isNull();
            assertThat(end.json().get("status").asText()).isEqualTo("killed");
            stream.awaitEnd();
        }
    }

    @Test
    void tenants_and_users_streaming_at_once_see_only_their_own() {
        String carol = server.token("carol", "globex", "user");
        String globexWorker = server.token("bot", "globex", "worker");
        String acmeSupport = server.token("sam", "acme", "support");
        String globexSupport = server.token("gus", "globex", "support");
        String bob = server.token("bob", "acme", "user");
        String a = running(alice);
        String c = running(carol);

        try (Client.Stream aliceStream = client.stream("/api/v1/sessions/" + a + "/events?after=2", alice);
                Client.Stream carolStream = client.stream("/api/v1/sessions/" + c + "/events?after=2", carol);
                Client.Stream acmeFeed = client.stream("/api/v1/events?types=tenant_note", acmeSupport);
                Client.Stream globexFeed = client.stream("/api/v1/events?types=tenant_note", globexSupport)) {
            assertThat(acmeFeed.status()).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                ok(client.post("/api/v1/sessions/" + a + "/events", worker, "{\"type\":\"tenant_note\"}"));
                ok(client.post("/api/v1/sessions/" + c + "/events", globexWorker, "{\"type\":\"tenant_note\"}"));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(aliceStream.nextEvent().json().get("sessionId").asText()).isEqualTo(a);
                assertThat(carolStream.nextEvent().json().get("sessionId").asText()).isEqualTo(c);
                Client.Frame acme = acmeFeed.nextEvent();
                assertThat(acme.json().get("sessionId").asText()).isEqualTo(a);
                assertThat(acme.id()).isEqualTo(acme.json().get("position").asText());
                Client.Frame globex = globexFeed.nextEvent();
                assertThat(globex.json().get("sessionId").asText()).isEqualTo(c);
            }
        }
        for (String[] probe : new String[][] {{bob, a}, {carol, a}, {globexSupport, a}, {alice, c}}) {
            Client.Reply read = client.get("/api/v1/sessions/" + probe[1], probe[0]);
            assertThat(read.status()).isEqualTo(404);
            assertThat(read.code()).isEqualTo("not_found");
            Client.Reply stream = client.get("/api/v1/sessions/" + probe[1] + "/events", probe[0]);
            assertThat(stream.status()).isEqualTo(404);
            assertThat(stream.header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        Client.Reply feedForUser = client.get("/api/v1/events", alice);
        assertThat(feedForUser.status()).isEqualTo(403);
        assertThat(feedForUser.code()).isEqualTo("forbidden");
    }

    @Test
    void a_slow_reader_is_cut_off_while_others_get_everything_and_it_resumes_without_a_gap() throws Exception {
        String id = running(alice);
        String path = "/api/v1/sessions/" + id + "/events";
        awaitSubscriptions(0);
        try (Socket slow = new Socket();
                Client.Stream normal = client.stream(path + "?after=2", alice)) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            slow.setSoTimeout(10_000);
            OutputStream request = slow.getOutputStream();
            request.write(("GET " + path + "?after=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + alice
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.api.openStreams() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.api.openStreams()).isEqualTo(2);

            // The slow reader reads nothing now; events of ~60 KiB fill its socket buffers quickly, then its stream's
            // queue, which overflows and ends the stream. The normal reader gets each event promptly all the while,
            // although the slow one's write is stuck. Bounded by time, not by count: how many events the kernel's
            // socket buffers absorb varies.
            String filler = "x".repeat(60 * 1024);
            long seq = 2;
            long cutOffDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.api.openStreams() > 1 && System.nanoTime() < cutOffDeadline) {
                ok(client.post("/api/v1/sessions/" + id + "/events", worker,
                        "{\"type\":\"bulk\",\"data\":{\"fill\":\"" + filler + "\"}}"));
                seq++;
                assertThat(normal.nextEvent().id()).isEqualTo(Long.toString(seq));
                Thread.sleep(5);
            }
            assertThat(server.api.openStreams()).as("the slow stream was cut off").isEqualTo(1);
            ok(client.post("/api/v1/sessions/" + id + "/events", worker, "{\"type\":\"last\"}"));
            long lastSeq = seq + 1;
            assertThat(normal.nextEvent().id()).isEqualTo(Long.toString(lastSeq));

            List<Long> received = completeEventIds(slow.getInputStream());
            assertThat(received).isNotEmpty();
            long lastReceived = received.get(received.size() - 1);
            assertThat(lastReceived).isLessThan(lastSeq);
            for (int i = 0; i < received.size(); i++) {
                assertThat(received.get(i)).isEqualTo(3 + i);
            }
            try (Client.Stream resumed = client.stream(path, alice, "Last-Event-ID", Long.toString(lastReceived))) {
                for (long next = lastReceived + 1; next <= lastSeq; next++) {
                    assertThat(resumed.nextEvent().id()).isEqualTo(Long.toString(next));
                }
            }
        }
    }

    /** Reads a raw HTTP response to its end and returns the ids of the complete SSE frames in it. */
    private static List<Long> completeEventIds(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        try {
            int n;
            while ((n = in.read(chunk)) != -1) {
                all.write(chunk, 0, n);
            }
        } catch (IOException reset) {
            // a cut-off connection may end with a reset; what arrived before counts
        }
        String text = all.toString(StandardCharsets.UTF_8);
        List<Long> ids = new ArrayList<>();
        for (String line : text.split("\n")) {
            // chunked encoding may split frames; only ids whose frame got its data line and blank line count
            if (line.startsWith("id: ")) {
                ids.add(Long.parseLong(line.substring(4).trim()));
            }
        }
        // the last id may belong to a frame that was cut off mid-way: only keep it if its frame is complete
        if (!ids.isEmpty()) {
            String tail = text.substring(text.lastIndexOf("id: "));
            if (!tail.contains("}\n\n")) {
                ids.remove(ids.size() - 1);
            }
        }
        return ids;
    }
}
