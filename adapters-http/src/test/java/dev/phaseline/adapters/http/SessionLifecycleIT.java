package dev.phaseline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SessionLifecycleIT {

    static TestServer server;
    static Client client;
    static String alice;
    static String worker;

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = server.client();
        alice = server.token("alice", "acme", "user");
        worker = server.token("bot", "acme", "worker");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String create(String token, String body) {
        Client.Reply reply = client.post("/api/v1/sessions", token, body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    static JsonNode ok(Client.Reply reply) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void golden_path_with_the_stream_open_throughout() {
        String id = create(alice, "{\"workflow\":\"demo\",\"title\":\"Plan\",\"input\":{\"rounds\":1}}");
        String base = "/api/v1/sessions/" + id;
        try (Client.Stream stream = client.stream(base + "/events", alice)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(stream.header("Cache-Control")).hasValue("no-cache");
            assertThat(stream.header("X-Accel-Buffering")).hasValue("no");
            assertThat(stream.next().retry()).isEqualTo("2000");
            Client.Frame created = stream.nextEvent();
            assertThat(created.id()).isEqualTo("1");
            assertThat(created.event()).isEqualTo("session.created");
            assertThat(created.json().get("sessionId").asText()).isEqualTo(id);

            ok(client.post(base + "/start", alice, null));
            ok(client.post(base + "/phase", worker, "{\"phase\":\"decomposition\"}"));
            ok(client.post(base + "/progress", worker, "{\"round\":1,\"percent\":10,\"costUsdDelta\":0.25}"));
            List<String> agentTypes = List.of("agent_started", "agent_thinking", "tool_executing", "tool_completed",
                    "agent_completed");
            for (String type : agentTypes) {
                Client.Reply event = client.post(base + "/events", worker,
                        "{\"type\":\"" + type + "\",\"data\":{\"agent\":\"a1\"}}");
                assertThat(event.status()).as(event.text()).isEqualTo(201);
                assertThat(event.json().get("type").asText()).isEqualTo(type);
                assertThat(event.json().has("position")).isFalse();
            }
            JsonNode paused = ok(client.post(base + "/clarification-request", worker,
                    "{\"questions\":[{\"id\":\"q1\",\"text\":\"Budget?\"},"
                            + "{\"id\":\"q2\",\"text\":\"Deadline?\",\"required\":true},"
                            + "{\"id\":\"q3\",\"text\":\"Anything else?\",\"required\":false}]}"));
            assertThat(paused.get("status").asText()).isEqualTo("paused");
            assertThat(paused.at("/pause/reason").asText()).isEqualTo("clarification_needed");
            assertThat(paused.at("/pause/questions")).hasSize(3);

            // F1: a worker returning while the session waits for clarification must not end it.
            Client.Reply complete = client.post(base + "/complete", worker, "{\"result\":{}}");
            assertThat(complete.status()).isEqualTo(409);
            assertThat(complete.code()).isEqualTo("illegal_transition");
            assertThat(complete.json().get("currentStatus").asText()).isEqualTo("paused");
            assertThat(complete.json().get("attempted").asText()).isEqualTo("complete");
            assertThat(complete.json().get("allowed").isArray()).isTrue();
            assertThat(complete.header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(complete.json().get("type").asText()).isEqualTo("urn:phaseline:problem:illegal_transition");

            Client.Reply resume = client.post(base + "/resume", alice, null);
            assertThat(resume.status()).isEqualTo(409);
            assertThat(resume.code()).isEqualTo("answers_required");

            Client.Reply partial = client.post(base + "/clarification", alice, "{\"answers\":{\"q1\":\"10k\"}}");
            assertThat(partial.status()).isEqualTo(400);
            assertThat(partial.code()).isEqualTo("answers_missing");
            assertThat(partial.json().get("missing")).extracting(JsonNode::asText).containsExactly("q2");

            Client.Reply unknown = client.post(base + "/clarification", alice,
                    "{\"answers\":{\"q1\":\"10k\",\"q2\":\"May\",\"q9\":\"?\"}}");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.code()).isEqualTo("validation_failed");
            assertThat(unknown.json().get("unknown")).extracting(JsonNode::asText).containsExactly("q9");

            JsonNode still = ok(client.get(base, alice));
            assertThat(still.get("status").asText()).isEqualTo("paused");
            long versionWhilePaused = still.get("version").asLong();

            JsonNode resumed = ok(client.post(base + "/clarification", alice,
                    "{\"answers\":{\"q1\":\"10k\",\"q2\":\"May\"}}"));
            assertThat(resumed.get("status").asText()).isEqualTo("running");
            assertThat(resumed.get("version").asLong()).isEqualTo(versionWhilePaused + 1);
            JsonNode completed = ok(client.post(base + "/complete", worker, "{\"result\":{\"answer\":42}}"));
            assertThat(completed.get("status").asText()).isEqualTo("completed");
            assertThat(completed.at("/result/answer").asInt()).isEqualTo(42);
            assertThat(completed.get("endedAt").isNull()).isFalse();

            List<String> types = new ArrayList<>();
            long expectedSeq = 2;
            Client.Frame frame;
            while (!"end".equals((frame = stream.nextEvent()).event())) {
                assertThat(Long.parseLong(frame.id())).isEqualTo(expectedSeq++);
                assertThat(frame.json().get("seq").asLong()).isEqualTo(Long.parseLong(frame.id()));
                types.add(frame.event());
            }
            assertThat(frame.id()).isNull();
            assertThat(frame.json().get("status").asText()).isEqualTo("completed");
            assertThat(types).containsSubsequence(agentTypes);
            assertThat(types.subList(types.indexOf("agent_started"), types.indexOf("agent_started") + 5))
                    .isEqualTo(agentTypes);
            assertThat(types).endsWith("session.clarification_answered", "session.completed");
            stream.awaitEnd();
        }
    }

    @Test
    void create_answers_201_with_location_etag_and_the_contract_shape() {
        Client.Reply reply = client.post("/api/v1/sessions", alice, "{\"title\":\"Shape\"}");
        assertThat(reply.status()).isEqualTo(201);
        JsonNode session = reply.json();
        String id = session.get("id").asText();
        assertThat(reply.header("Location")).hasValue("/api/v1/sessions/" + id);
        assertThat(reply.header("ETag")).hasValue("\"1\"");
        List<String> fields = new ArrayList<>();
        session.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "tenantId", "ownerId", "workflow", "title", "status", "phase",
                "pause", "progress", "input", "result", "failure", "version", "lastEventSeq", "createdAt",
                "updatedAt", "startedAt", "endedAt");
        assertThat(session.get("tenantId").asText()).isEqualTo("acme");
        assertThat(session.get("ownerId").asText()).isEqualTo("alice");
        assertThat(session.get("workflow").asText()).isEqualTo("default");
        assertThat(session.get("status").asText()).isEqualTo("created");
        assertThat(session.get("pause").isNull()).isTrue();
        assertThat(session.get("result").isNull()).isTrue();
        assertThat(session.get("failure").isNull()).isTrue();
        assertThat(session.get("input").isObject()).isTrue();
        assertThat(session.get("progress").get("round").asInt()).isZero();
        assertThat(session.get("progress").get("percent").isNull()).isTrue();
        assertThat(session.get("progress").get("costUsd").isNumber()).isTrue();
        assertThat(session.get("createdAt").asText()).endsWith("Z");
        assertThat(session.get("version").asLong()).isEqualTo(1);

        Client.Reply read = client.get("/api/v1/sessions/" + id, alice);
        assertThat(read.header("ETag")).hasValue("\"1\"");
    }

    @Test
    void if_match_with_an_old_version_answers_412_and_changes_nothing() {
        String id = create(alice, "{}");
        String base = "/api/v1/sessions/" + id;
        Client.Reply stale = client.post(base + "/start", alice, null, "If-Match", "\"7\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.code()).isEqualTo("version_mismatch");
        assertThat(ok(client.get(base, alice)).get("status").asText()).isEqualTo("created");

        Client.Reply malformed = client.post(base + "/start", alice, null, "If-Match", "seven");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("validation_failed");
        assertThat(malformed.json().get("errors")).extracting(JsonNode::asText).contains("If-Match");

        Client.Reply fresh = client.post(base + "/start", alice, null, "If-Match", "\"1\"");
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.header("ETag")).hasValue("\"2\"");

        Client.Reply heartbeat = client.post(base + "/heartbeat", worker, null, "If-Match", "\"1\"");
        assertThat(heartbeat.status()).isEqualTo(412);
        assertThat(client.post(base + "/heartbeat", worker, null, "If-Match", "\"2\"").status()).isEqualTo(204);
    }

    @Test
    void status_poll_honours_if_none_match() {
        String id = create(alice, "{}");
        String path = "/api/v1/sessions/" + id + "/status";
        Client.Reply first = client.get(path, alice);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("ETag")).hasValue("\"1\"");
        List<String> fields = new ArrayList<>();
        first.json().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "status", "phase", "pause", "progress", "version", "lastEventSeq",
                "updatedAt");

        Client.Reply unchanged = client.get(path, alice, "If-None-Match", "\"1\"");
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.raw().body()).isEmpty();

        ok(client.post("/api/v1/sessions/" + id + "/start", alice, null));
        Client.Reply changed = client.get(path, alice, "If-None-Match", "\"1\"");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("status").asText()).isEqualTo("running");
    }

    @Test
    void upper_case_ids_address_the_same_session_and_come_back_lower_case() {
        String id = create(alice, "{}");
        JsonNode read = ok(client.get("/api/v1/sessions/" + id.toUpperCase(java.util.Locale.ROOT), alice));
        assertThat(read.get("id").asText()).isEqualTo(id);
        try (Client.Stream stream = client.stream("/api/v1/sessions/" + id.toUpperCase(java.util.Locale.ROOT)
                + "/events", alice)) {
            assertThat(stream.nextEvent().event()).isEqualTo("session.created");
            ok(client.post("/api/v1/sessions/" + id + "/start", alice, null));
            Client.Frame started = stream.nextEvent();
            assertThat(started.event()).isEqualTo("session.started");
            assertThat(started.json().get("sessionId").asText()).isEqualTo(id);
        }
    }

    @Test
    void delete_answers_204_and_the_session_stays_readable_with_status_deleted() {
        String id = create(alice, "{}");
        Client.Reply deleted = client.delete("/api/v1/sessions/" + id, alice);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(ok(client.get("/api/v1/sessions/" + id, alice)).get("status").asText()).isEqualTo("deleted");
        JsonNode history = ok(client.get("/api/v1/sessions/" + id + "/history", alice));
        assertThat(history.get("items")).extracting(item -> item.get("type").asText())
                .containsExactly("session.created", "session.killed", "session.deleted");
    }

    @Test
    void listing_pages_newest_first_with_a_cursor_and_filters() {
        String bob = server.token("bob-pages", "pages", "user");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create(bob, "{\"workflow\":\"w" + (i % 2) + "\"}"));
        }
        JsonNode first = ok(client.get("/api/v1/sessions?limit=2", bob));
        assertThat(first.get("items")).hasSize(2);
        String cursor = first.get("nextCursor").asText();
        JsonNode second = ok(client.get("/api/v1/sessions?limit=2&cursor=" + cursor, bob));
        JsonNode third = ok(client.get("/api/v1/sessions?limit=2&cursor=" + second.get("nextCursor").asText(),
                bob));
        assertThat(third.get("items")).hasSize(1);
        assertThat(third.get("nextCursor").isNull()).isTrue();
        List<String> seen = new ArrayList<>();
        for (JsonNode page : List.of(first, second, third)) {
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
        }
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).isEqualTo(newestFirst);

        assertThat(ok(client.get("/api/v1/sessions?workflow=w0", bob)).get("items")).hasSize(3);
        client.delete("/api/v1/sessions/" + ids.get(0), bob);
        assertThat(ok(client.get("/api/v1/sessions", bob)).get("items")).hasSize(4);
        assertThat(ok(client.get("/api/v1/sessions?status=deleted", bob)).get("items")).hasSize(1);
        assertThat(ok(client.get("/api/v1/sessions?status=created,deleted", bob)).get("items")).hasSize(5);
    }

    @Test
    void history_pages_with_after_and_limit() {
        String id = create(alice, "{}");
        String base = "/api/v1/sessions/" + id;
        ok(client.post(base + "/start", alice, null));
        for (int i = 0; i < 3; i++) {
            assertThat(client.post(base + "/events", worker, "{\"type\":\"note\"}").status()).isEqualTo(201);
        }
        JsonNode page = ok(client.get(base + "/history?after=1&limit=2", alice));
        assertThat(page.get("items")).extracting(item -> item.get("seq").asLong()).containsExactly(2L, 3L);
        assertThat(page.get("nextAfter").asLong()).isEqualTo(3);
        JsonNode rest = ok(client.get(base + "/history?after=3", alice));
        assertThat(rest.get("items")).extracting(item -> item.get("seq").asLong()).containsExactly(4L, 5L);
        List<String> fields = new ArrayList<>();
        rest.get("items").get(0).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("sessionId", "seq", "type", "at", "data");
    }
}
