package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.phaseline.adapters.http.TokenIssuer;
import dev.phaseline.adapters.redis.testing.RedisTestServer;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes, each with its own port and data directory and the same JWT secret, on one PostgreSQL and one
 * real redis-server: what one node answers, the other reads and streams (F3, F23, the tenant feed), and neither loses
 * or misreports anything while Redis is flushed (F15), down, or back (F17).
 */
@Timeout(300)
class MultiNodeIT {

    private static final String TENANT = "nodes";
    private static final TokenIssuer TOKENS =
            new TokenIssuer(ServerProcess.SECRET.getBytes(StandardCharsets.UTF_8));
    private static final String ADMIN = TOKENS.issue("root", TENANT, List.of("admin"), Duration.ofHours(1));
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path temp;

    private static RedisTestServer redis;
    private static ServerProcess a;
    private static ServerProcess b;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisTestServer.start();
        TestDatabase database = TestDatabase.create();
        Map<String, String> env = new HashMap<>(database.environment());
        env.put("PHASELINE_REDIS_URL", redis.url().toString());
        env.put("PHASELINE_DEMO_WORKER", "false");
        env.put("PHASELINE_SSE_HEARTBEAT", "PT1S");
        // Both at once, as a deployment rolls out: they migrate the one database concurrently.
        CompletableFuture<ServerProcess> first = CompletableFuture.supplyAsync(
                () -> ServerProcess.startMain(temp.resolve("node-a"), env));
        CompletableFuture<ServerProcess> second = CompletableFuture.supplyAsync(
                () -> ServerProcess.startMain(temp.resolve("node-b"), env));
        a = first.get(150, TimeUnit.SECONDS);
        b = second.get(150, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable each : new AutoCloseable[] {a, b, redis}) {
            try {
                if (each != null) {
                    each.close();
                }
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
    }

    /** Every test leaves Redis up and both nodes ready for the next. */
    @AfterEach
    void redis_is_back_and_both_nodes_are_ready() {
        try {
            redis.command("PING");
        } catch (RuntimeException down) {
            redis.restart();
        }
        awaitReady(a, 200);
        awaitReady(b, 200);
    }

    /** F3: read-your-writes across nodes, every time. */
    @Test
    void a_command_answered_by_one_node_is_read_at_that_version_or_newer_on_the_other_at_once() {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = create(a, "f3 " + i);
            command(b, id, "start", null);
            sessions.add(id);
        }
        int rounds = 200;
        for (int round = 0; round < rounds; round++) {
            String id = sessions.get(round % sessions.size());
            ServerProcess writer = round % 2 == 0 ? a : b;
            ServerProcess reader = writer == a ? b : a;
            long written = command(writer, id, "progress", "{\"round\":" + (round + 1) + "}");
            String path = "/api/v1/sessions/" + id + (round % 3 == 0 ? "/status" : "");
            TestHttp.Response read = reader.http.get(path, ADMIN);
            assertThat(read.status()).as("round %d", round).isEqualTo(200);
            assertThat(read.json().get("version").asLong())
                    .as("round %d: %s on the other node after version %d", round, path, written)
                    .isGreaterThanOrEqualTo(written);
        }
    }

    /** F23 across nodes: a stream dropped on A resumes on B with Last-Event-ID, while A keeps producing. */
    @Test
    void a_stream_dropped_on_one_node_resumes_on_the_other_with_nothing_missed_or_doubled() throws Exception {
        String id = create(a, "f23");
        command(a, id, "start", null);
        SseClient onA = SseClient.open(a.port, "/api/v1/sessions/" + id + "/events", ADMIN, null);
        assertThat(onA.status).isEqualTo(200);
        int produced = 150;
        Producer producer = Producer.appending(a, id, produced, 10);
        producer.start();

        assertThat(onA.await(events -> events.size() >= 30, WAIT)).as("events on A: %s", onA.events).isTrue();
        onA.close();
        onA.ended.get(10, TimeUnit.SECONDS);
        String lastSeen = onA.lastEventId();
        List<Long> before = onA.ids();
        Thread.sleep(300); // the network is gone for a while; A goes on committing

        SseClient onB = SseClient.open(b.port, "/api/v1/sessions/" + id + "/events", ADMIN, lastSeen);
        assertThat(onB.status).isEqualTo(200);
        producer.join();
        long last = command(a, id, "complete", "{\"result\":{\"ok\":true}}");
        assertThat(onB.awaitEnd(WAIT)).as("events on B: %s", onB.ids()).isTrue();

        List<Long> all = new ArrayList<>(before);
        all.addAll(onB.ids());
        assertThat(before).isNotEmpty();
        assertThat(onB.ids().get(0)).isEqualTo(Long.parseLong(lastSeen) + 1);
        assertThat(all).as("before the drop on A, then on B").isEqualTo(LongStream.rangeClosed(1, last).boxed()
                .toList());
        assertThat(producer.failures).isEmpty();
        assertThat(last).isEqualTo(2 + produced + 1);
    }

    /** The tenant feed on one node shows every event of sessions driven through the other, in order. */
    @Test
    void the_tenant_feed_on_one_node_shows_sessions_driven_through_the_other() {
        String tenant = "feed-" + UUID.randomUUID().toString().substring(0, 8);
        String owner = TOKENS.issue("alice", tenant, List.of("user"), Duration.ofHours(1));
        String worker = TOKENS.issue("worker", tenant, List.of("worker"), Duration.ofHours(1));
        String support = TOKENS.issue("helpdesk", tenant, List.of("support"), Duration.ofHours(1));
        SseClient feed = SseClient.open(b.port, "/api/v1/events?after=0", support, null);
        assertThat(feed.status).isEqualTo(200);

        Map<String, Long> sessions = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String id = post(a, "/api/v1/sessions", owner, "{\"title\":\"feed " + i + "\"}", 201).get("id")
                    .asText();
            post(a, "/api/v1/sessions/" + id + "/start", owner, null, 200);
            for (int round = 1; round <= 3; round++) {
                post(a, "/api/v1/sessions/" + id + "/progress", worker, "{\"round\":" + round + "}", 200);
            }
            long version = post(a, "/api/v1/sessions/" + id + "/complete", worker, "{}", 200).get("version")
                    .asLong();
            sessions.put(id, version);
        }
        long expected = sessions.values().stream().mapToLong(Long::longValue).sum();

        try (feed) {
            assertThat(feed.await(events -> events.size() >= expected, WAIT))
                    .as("feed on B: %s", feed.events).isTrue();
            Map<String, List<Long>> seqs = new LinkedHashMap<>();
            long previous = 0;
            for (SseClient.Event event : feed.events) {
                JsonNode json = json(event.data());
                assertThat(event.seq()).as("feed positions increase").isGreaterThan(previous);
                previous = event.seq();
                seqs.computeIfAbsent(json.get("sessionId").asText(), k -> new ArrayList<>())
                        .add(json.get("seq").asLong());
            }
            assertThat(seqs.keySet()).containsExactlyInAnyOrderElementsOf(sessions.keySet());
            sessions.forEach((id, version) -> assertThat(seqs.get(id)).as(id)
                    .isEqualTo(LongStream.rangeClosed(1, version).boxed().toList()));
        }
    }

    /**
     * F17 on two nodes: Redis is killed (SIGKILL, as in a crash) and comes back while a subscriber on B streams a
     * session driven on A. Commands on A keep succeeding, the subscriber ends with every event in order, and afterwards
     * neither node serves an old state: not even of a session both had cached before the outage, that changed during
     * it, and whose old entry Redis still holds when it returns (as a Redis that kept its data, or was only cut off,
     * would). And F15 after the restart: both nodes still answer each session's whole history, in order, and list it
     * at its current version and status.
     */
    @Test
    void redis_killed_and_back_loses_no_event_history_or_listing_on_either_node_and_serves_nothing_stale()
            throws Exception {
        assumeTrue(redis.canRestart(), "an external Redis (PHASELINE_TEST_REDIS_URL) cannot be stopped");
        String streamed = create(a, "f17 streamed");
        command(a, streamed, "start", null);
        String cached = create(a, "f17 cached");
        long cachedBefore = command(a, cached, "start", null);
        assertThat(version(a, cached)).isEqualTo(cachedBefore);
        assertThat(version(b, cached)).isEqualTo(cachedBefore);
        String cacheKey = "phaseline:session:" + cached;
        String cachedEntry = redis.command("HGET", cacheKey, "s");
        assertThat(redis.command("HGET", cacheKey, "v")).isEqualTo(Long.toString(cachedBefore));

        SseClient onB = SseClient.open(b.port, "/api/v1/sessions/" + streamed + "/events", ADMIN, null);
        assertThat(onB.await(events -> events.size() >= 2, WAIT)).isTrue();
        Producer producer = Producer.appending(a, streamed, Integer.MAX_VALUE, 20);
        producer.start();
        assertThat(onB.await(events -> events.size() >= 15, WAIT)).as("live on B before the outage").isTrue();

        redis.kill();
        awaitReady(a, 503);
        JsonNode ready = a.http.get("/ready", null).json();
        assertThat(ready.get("checks").get("redis").asText()).isEqualTo("down");
        assertThat(ready.get("checks").get("postgres").asText()).isEqualTo("up");
        int committedBeforeOutage = producer.acknowledged.get();
        long cachedDuring = command(a, cached, "progress", "{\"round\":1}");
        assertThat(version(a, cached)).as("A reads the store while Redis is down").isEqualTo(cachedDuring);
        Thread.sleep(1_500);
        assertThat(producer.acknowledged.get()).as("commands on A while Redis is down")
                .isGreaterThan(committedBeforeOutage + 10);

        redis.restart();
        redis.command("HSET", cacheKey, "v", Long.toString(cachedBefore), "s", cachedEntry);
        awaitReady(a, 200);
        awaitReady(b, 200);
        Thread.sleep(500);
        producer.stop();
        long last = command(a, streamed, "complete", "{}");

        assertThat(onB.awaitEnd(WAIT)).as("events on B: %s", onB.ids()).isTrue();
        assertThat(onB.ids()).as("every event on B, in order, once")
                .isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(producer.failures).as("commands that failed").isEmpty();
        // B first: a read on A repairs the entry, which would hide what B serves on its own.
        for (ServerProcess node : List.of(b, a)) {
            assertThat(status(node, cached)).as("status of the session that changed during the outage, node on %d",
                    node.port).isEqualTo(cachedDuring);
            assertThat(version(node, cached)).isEqualTo(cachedDuring);
            assertThat(version(node, streamed)).isEqualTo(last);
            assertThat(status(node, streamed)).isEqualTo(last);
        }

        // What B streamed live is what both nodes must answer as history once Redis is back empty: the same events,
        // field by field. The types and tick numbers are checked on their own too, so that a stream and a history
        // that lost the same event cannot agree on it.
        List<JsonNode> streamedLive = onB.events.stream().filter(event -> event.id() != null)
                .map(event -> json(event.data())).toList();
        int ticks = producer.acknowledged.get();
        assertThat(last).as("created, started, every acknowledged tick, completed").isEqualTo(2 + ticks + 1);
        List<String> streamedTypes = new ArrayList<>(List.of(SessionEvent.CREATED, SessionEvent.STARTED));
        streamedTypes.addAll(Collections.nCopies(ticks, "tick"));
        streamedTypes.add(SessionEvent.COMPLETED);
        for (ServerProcess node : List.of(b, a)) {
            List<JsonNode> history = events(node, streamed);
            assertThat(history).as("history of the streamed session on the node on %d", node.port)
                    .isEqualTo(streamedLive);
            assertThat(history).extracting(event -> event.get("type").asText()).as("event types")
                    .isEqualTo(streamedTypes);
            assertThat(history.subList(2, 2 + ticks)).extracting(event -> event.get("data").get("n").asInt())
                    .as("the ticks in the order they were acknowledged")
                    .isEqualTo(IntStream.range(0, ticks).boxed().toList());
            assertThat(events(node, cached)).extracting(event -> event.get("type").asText())
                    .as("history of the session that changed during the outage, node on %d", node.port)
                    .containsExactly(SessionEvent.CREATED, SessionEvent.STARTED, SessionEvent.PROGRESS);

            Map<String, JsonNode> listing = listing(node);
            assertThat(listing).as("the listing on the node on %d", node.port).containsKeys(streamed, cached);
            assertThat(listing.get(streamed).get("version").asLong()).as("listed version, streamed").isEqualTo(last);
            assertThat(listing.get(streamed).get("status").asText()).as("listed status, streamed")
                    .isEqualTo(SessionStatus.COMPLETED.wireName());
            assertThat(listing.get(cached).get("version").asLong()).as("listed version, changed during the outage")
                    .isEqualTo(cachedDuring);
            assertThat(listing.get(cached).get("status").asText()).as("listed status, changed during the outage")
                    .isEqualTo(SessionStatus.RUNNING.wireName());
        }
    }

    /** F17 on one node: its commands, reads and its own streams go on without Redis; /ready says Redis is down. */
    @Test
    void with_redis_down_a_node_commits_reads_from_postgresql_and_streams_its_own_events() {
        assumeTrue(redis.canRestart(), "an external Redis (PHASELINE_TEST_REDIS_URL) cannot be stopped");
        String id = create(a, "redis down");
        command(a, id, "start", null);
        assertThat(version(a, id)).isEqualTo(2);

        // Shut down as an operator would; the crash is the down-and-back test's.
        redis.stop();
        awaitReady(a, 503);
        TestHttp.Response ready = a.http.get("/ready", null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("status").asText()).isEqualTo("down");
        assertThat(ready.json().get("checks").get("redis").asText()).isEqualTo("down");
        assertThat(ready.json().get("checks").get("postgres").asText()).isEqualTo("up");
        assertThat(ready.json().get("checks").get("migrations").asText()).isEqualTo("up");

        String fresh = create(a, "created without redis");
        SseClient stream = SseClient.open(a.port, "/api/v1/sessions/" + id + "/events", ADMIN, null);
        assertThat(stream.await(events -> events.size() >= 2, WAIT)).isTrue();
        long version = 2;
        for (int n = 0; n < 10; n++) {
            version = append(a, id, n);
            long expected = version;
            assertThat(stream.await(events -> events.size() >= expected, Duration.ofSeconds(5)))
                    .as("event %d live on the node's own stream without Redis", version).isTrue();
        }
        long last = command(a, id, "complete", "{}");
        assertThat(stream.awaitEnd(WAIT)).isTrue();
        assertThat(stream.ids()).isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());

        assertThat(version(a, id)).isEqualTo(last);
        assertThat(status(a, id)).isEqualTo(last);
        assertThat(version(a, fresh)).isEqualTo(1);
        assertThat(history(a, id)).isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(listed(a)).containsKeys(id, fresh);
        assertThat(listed(a).get(id)).isEqualTo(last);
    }

    /** F15 with Redis: FLUSHALL during traffic on both nodes loses nothing and breaks no read. */
    @Test
    void flushing_redis_during_traffic_loses_nothing_and_every_read_stays_correct() throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = create(i % 2 == 0 ? a : b, "f15 " + i);
            command(a, id, "start", null);
            sessions.add(id);
        }
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            String id = sessions.get(i);
            ServerProcess writer = i % 2 == 0 ? a : b;
            ServerProcess reader = writer == a ? b : a;
            threads.add(new Thread(() -> {
                int n = 0;
                while (running.get()) {
                    try {
                        TestHttp.Response done = writer.http.post("/api/v1/sessions/" + id + "/events", ADMIN,
                                "{\"type\":\"tick\",\"data\":{\"n\":" + n++ + "}}");
                        if (done.status() != 201) {
                            failures.add("append: " + done.status() + " " + done.body());
                            continue;
                        }
                        long seq = done.json().get("seq").asLong();
                        acknowledged.merge(id, seq, Math::max);
                        TestHttp.Response read = reader.http.get("/api/v1/sessions/" + id
                                + (n % 2 == 0 ? "/status" : ""), ADMIN);
                        if (read.status() != 200 || read.json().get("version").asLong() < seq) {
                            failures.add("read after " + seq + ": " + read.status() + " " + read.body());
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            }, "f15-" + i));
        }
        threads.forEach(Thread::start);
        for (int flush = 0; flush < 20; flush++) {
            Thread.sleep(150);
            redis.flushAll();
        }
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertThat(failures).isEmpty();
        Map<String, Long> listedOnA = listed(a);
        Map<String, Long> listedOnB = listed(b);
        for (String id : sessions) {
            long version = acknowledged.get(id);
            assertThat(version).isGreaterThan(10);
            for (ServerProcess node : List.of(a, b)) {
                assertThat(version(node, id)).isEqualTo(version);
                assertThat(status(node, id)).isEqualTo(version);
                assertThat(history(node, id)).isEqualTo(LongStream.rangeClosed(1, version).boxed().toList());
            }
            assertThat(listedOnA.get(id)).isEqualTo(version);
            assertThat(listedOnB.get(id)).isEqualTo(version);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Appends events to a session through one node at a steady pace, and records what was acknowledged. */
    private static final class Producer {
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger acknowledged = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private Producer(ServerProcess node, String id, int count, long pauseMillis) {
            thread = new Thread(() -> {
                for (int n = 0; n < count && running.get(); n++) {
                    try {
                        TestHttp.Response done = node.http.post("/api/v1/sessions/" + id + "/events", ADMIN,
                                "{\"type\":\"tick\",\"data\":{\"n\":" + n + "}}");
                        if (done.status() == 201) {
                            acknowledged.incrementAndGet();
                        } else {
                            failures.add(done.status() + " " + done.body());
                        }
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            }, "producer");
        }

        static Producer appending(ServerProcess node, String id, int count, long pauseMillis) {
            return new Producer(node, id, count, pauseMillis);
        }

        void start() {
            thread.start();
        }

        void join() throws InterruptedException {
            thread.join(60_000);
        }

        void stop() throws InterruptedException {
            running.set(false);
            join();
        }
    }

    private static String create(ServerProcess node, String title) {
        return post(node, "/api/v1/sessions", ADMIN, "{\"title\":\"" + title + "\"}", 201).get("id").asText();
    }

    /** @return the version the node answered */
    private static long command(ServerProcess node, String id, String command, String body) {
        return post(node, "/api/v1/sessions/" + id + "/" + command, ADMIN, body, 200).get("version").asLong();
    }

    /** @return the seq of the appended event */
    private static long append(ServerProcess node, String id, int n) {
        return post(node, "/api/v1/sessions/" + id + "/events", ADMIN,
                "{\"type\":\"tick\",\"data\":{\"n\":" + n + "}}", 201).get("seq").asLong();
    }

    private static JsonNode post(ServerProcess node, String path, String token, String body, int status) {
        TestHttp.Response response = node.http.post(path, token, body);
        assertThat(response.status()).as("POST %s: %s", path, response.body()).isEqualTo(status);
        return response.json();
    }

    private static long version(ServerProcess node, String id) {
        TestHttp.Response read = node.http.get("/api/v1/sessions/" + id, ADMIN);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        return read.json().get("version").asLong();
    }

    private static long status(ServerProcess node, String id) {
        TestHttp.Response read = node.http.get("/api/v1/sessions/" + id + "/status", ADMIN);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        return read.json().get("version").asLong();
    }

    /** @return every seq of the session's history, read page by page */
    private static List<Long> history(ServerProcess node, String id) {
        return events(node, id).stream().map(event -> event.get("seq").asLong()).toList();
    }

    /** @return every event of the session's history as the node answers it, read page by page */
    private static List<JsonNode> events(ServerProcess node, String id) {
        List<JsonNode> events = new ArrayList<>();
        long after = 0;
        while (true) {
            TestHttp.Response page = node.http.get("/api/v1/sessions/" + id + "/history?limit=1000&after=" + after,
                    ADMIN);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode items = page.json().get("items");
            if (items.isEmpty()) {
                return events;
            }
            items.forEach(events::add);
            after = events.get(events.size() - 1).get("seq").asLong();
        }
    }

    /** @return id → version of the tenant's sessions, as the node lists them */
    private static Map<String, Long> listed(ServerProcess node) {
        Map<String, Long> versions = new LinkedHashMap<>();
        listing(node).forEach((id, item) -> versions.put(id, item.get("version").asLong()));
        return versions;
    }

    /** @return id → list item of the tenant's sessions, as the node lists them, read page by page */
    private static Map<String, JsonNode> listing(ServerProcess node) {
        Map<String, JsonNode> items = new LinkedHashMap<>();
        String cursor = null;
        do {
            TestHttp.Response page = node.http.get("/api/v1/sessions?limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            for (JsonNode item : page.json().get("items")) {
                items.put(item.get("id").asText(), item);
            }
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null);
        return items;
    }

    private static JsonNode json(String text) {
        try {
            return TestHttp.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitReady(ServerProcess node, int status) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            seen = node.http.readyStatus();
            if (seen == status) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("node on port " + node.port + ": /ready answered " + seen + ", expected " + status
                + " within " + WAIT + ":\n" + node.output());
    }
}
