package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo golden path on the real server: embedded PostgreSQL, the HTTP API on a free port and the demo worker, as
 * {@link Main} wires them. The test talks only HTTP, as a browser or {@code curl} would, and reads the event stream
 * as it arrives. It proves F1 (a worker cannot complete a session paused for clarification) and F10 (the agent
 * events of every round reach the subscriber in order, with no gap) end to end.
 */
@Timeout(120)
class DemoGoldenPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> ROUND_EVENTS = List.of("agent_started", "agent_thinking", "tool_executing",
            "tool_completed", "agent_completed");
    private static final int ROUNDS = 2;

    @TempDir
    static Path dataDir;

    private static Phaseline phaseline;
    private static HttpClient client;
    private static String base;
    private static String user;
    private static String worker;

    @BeforeAll
    static void start() {
        phaseline = Phaseline.builder()
                .embeddedPostgres()
                .dataDirectory(dataDir)
                .http(0)
                .httpHost("127.0.0.1")
                .worker("demo", DemoWorkers.demo().orElseThrow())
                .build();
        base = "http://127.0.0.1:" + phaseline.httpPort();
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        user = phaseline.tokenIssuer().issue("alice", "demo", List.of("user"), Duration.ofHours(1));
        worker = phaseline.tokenIssuer().issue("demo-bot", "demo", List.of("worker"), Duration.ofHours(1));
    }

    @AfterAll
    static void stop() {
        if (phaseline != null) {
            phaseline.close();
        }
    }

    @Test
    void a_user_runs_the_demo_with_clarification_and_watches_it_complete_over_http() throws Exception {
        // Create.
        HttpResponse<String> created = post("/api/v1/sessions", user,
                "{\"workflow\":\"demo\",\"title\":\"Pick a database\","
                        + "\"input\":{\"clarify\":true,\"rounds\":" + ROUNDS + ",\"stepDelayMs\":20}}");
        expect(201, created);
        String id = json(created).get("id").asText();
        String path = "/api/v1/sessions/" + id;
        assertThat(created.headers().firstValue("Location")).hasValue(path);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(json(created).get("status").asText()).isEqualTo("created");

        // Subscribe, as curl -N would: no Accept header.
        HttpResponse<InputStream> streamResponse = client.sendAsync(HttpRequest.newBuilder(URI.create(base + path
                        + "/events")).header("Authorization", "Bearer " + user).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try (SseReader stream = new SseReader(streamResponse.body())) {
            assertThat(streamResponse.statusCode()).isEqualTo(200);
            assertThat(streamResponse.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));

            // Start; the worker walks the first phases and asks its questions.
            HttpResponse<String> started = post(path + "/start", user, null);
            expect(200, started);
            assertThat(json(started).get("status").asText()).isEqualTo("running");

            List<Frame> untilPause = stream.until("session.clarification_requested");
            assertThat(untilPause).extracting(Frame::event).containsExactly("session.created", "session.started",
                    "session.phase_changed", "session.phase_changed", "session.clarification_requested");
            assertThat(untilPause.get(2).json().at("/data/to").asText()).isEqualTo("decomposition");
            assertThat(untilPause.get(3).json().at("/data/from").asText()).isEqualTo("decomposition");
            assertThat(untilPause.get(3).json().at("/data/to").asText()).isEqualTo("identify_gaps");

            JsonNode paused = json(expect(200, get(path + "/status", user)));
            assertThat(paused.get("status").asText()).isEqualTo("paused");
            assertThat(paused.get("phase").asText()).isEqualTo("identify_gaps");
            assertThat(paused.at("/pause/reason").asText()).isEqualTo("clarification_needed");
            assertThat(paused.at("/pause/questions")).extracting(q -> q.get("id").asText())
                    .containsExactly("q1", "q2");
            assertThat(paused.at("/pause/questions")).allSatisfy(
                    q -> assertThat(q.get("required").asBoolean()).isTrue());
            long pausedVersion = paused.get("version").asLong();

            // F1: a worker that returns now cannot end the session.
            HttpResponse<String> completed = post(path + "/complete", worker,
                    "{\"result\":{\"synthesis\":\"too early\"}}");
            expect(409, completed);
            JsonNode problem = json(completed);
            assertThat(problem.get("code").asText()).isEqualTo("illegal_transition");
            assertThat(problem.get("currentStatus").asText()).isEqualTo("paused");
            assertThat(problem.get("attempted").asText()).isEqualTo("complete");
            assertThat(problem.get("allowed")).extracting(JsonNode::asText)
                    .contains("answer_clarification").doesNotContain("complete");
            assertStillPausedAt(path, pausedVersion);

            // The owner cannot resume past the questions, nor answer only some or others.
            HttpResponse<String> resumed = post(path + "/resume", user, null);
            expect(409, resumed);
            assertThat(json(resumed).get("code").asText()).isEqualTo("answers_required");

            HttpResponse<String> partial = post(path + "/clarification", user,
                    "{\"answers\":{\"q1\":\"the platform team\"}}");
            expect(400, partial);
            assertThat(json(partial).get("code").asText()).isEqualTo("answers_missing");
            assertThat(json(partial).get("missing")).extracting(JsonNode::asText).containsExactly("q2");

            HttpResponse<String> unknown = post(path + "/clarification", user,
                    "{\"answers\":{\"q1\":\"the platform team\",\"q2\":\"risk\",\"q3\":\"?\"}}");
            expect(400, unknown);
            assertThat(json(unknown).get("code").asText()).isEqualTo("validation_failed");
            assertThat(json(unknown).get("unknown")).extracting(JsonNode::asText).containsExactly("q3");
            assertStillPausedAt(path, pausedVersion);

            HttpResponse<String> answered = post(path + "/clarification", user,
                    "{\"answers\":{\"q1\":\"the platform team\",\"q2\":\"risk\"}}");
            expect(200, answered);
            assertThat(json(answered).get("status").asText()).isEqualTo("running");
            assertThat(json(answered).get("pause").isNull()).isTrue();

            // F10: the rest of the run reaches the stream in order, then the end, then the close.
            List<Frame> rest = stream.until("end");
            assertThat(stream.awaitClosed(WAIT)).as("the server closes the stream after the end").isTrue();

            List<Frame> all = new ArrayList<>(untilPause);
            all.addAll(rest);
            Frame end = all.get(all.size() - 1);
            List<Frame> events = all.subList(0, all.size() - 1);
            assertThat(end.id()).isNull();
            assertThat(end.json()).isEqualTo(JSON.readTree("{\"status\":\"completed\"}"));
            for (int i = 0; i < events.size(); i++) {
                Frame frame = events.get(i);
                assertThat(frame.id()).as("id of event %s", i).isEqualTo(String.valueOf(i + 1));
                assertThat(frame.json().get("seq").asLong()).isEqualTo(i + 1);
                assertThat(frame.json().get("type").asText()).isEqualTo(frame.event());
                assertThat(frame.json().get("sessionId").asText()).isEqualTo(id);
            }
            assertThat(events.get(events.size() - 1).event()).isEqualTo("session.completed");
            assertThat(rest.get(0).event()).isEqualTo("session.clarification_answered");

            List<String> agentEvents = new ArrayList<>();
            List<Integer> agentRounds = new ArrayList<>();
            for (Frame frame : rest) {
                if (ROUND_EVENTS.contains(frame.event())) {
                    agentEvents.add(frame.event());
                    agentRounds.add(frame.json().at("/data/round").asInt());
                }
            }
            List<String> expectedEvents = new ArrayList<>();
            List<Integer> expectedRounds = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                expectedEvents.addAll(ROUND_EVENTS);
                for (int i = 0; i < ROUND_EVENTS.size(); i++) {
                    expectedRounds.add(round);
                }
            }
            assertThat(agentEvents).containsExactlyElementsOf(expectedEvents);
            assertThat(agentRounds).containsExactlyElementsOf(expectedRounds);

            // The final state.
            JsonNode done = json(expect(200, get(path, user)));
            assertThat(done.get("status").asText()).isEqualTo("completed");
            assertThat(done.at("/result/synthesis").asText()).isNotBlank();
            assertThat(done.at("/result/recommendation").asText()).isNotBlank();
            assertThat(done.at("/progress/round").asInt()).isEqualTo(ROUNDS);
            assertThat(done.at("/progress/costUsd").decimalValue()).isPositive();
            assertThat(done.get("version").asLong()).isEqualTo(events.size());
            assertThat(done.get("lastEventSeq").asLong()).isEqualTo(events.size());
        }
    }

    private static void assertStillPausedAt(String path, long version) {
        HttpResponse<String> response = expect(200, get(path + "/status", user));
        JsonNode status = json(response);
        assertThat(status.get("status").asText()).isEqualTo("paused");
        assertThat(status.at("/pause/reason").asText()).isEqualTo("clarification_needed");
        assertThat(status.get("version").asLong()).isEqualTo(version);
    }

    // --- HTTP -------------------------------------------------------------------------------------------------------

    private static HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    private static HttpResponse<String> post(String path, String token, String body) {
        HttpRequest.Builder request = request(path, token);
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return send(request.build());
    }

    private static HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT)
                .header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.request().uri(),
                response.body()).isEqualTo(status);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) {
        return parse(response.body());
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }

    // --- SSE --------------------------------------------------------------------------------------------------------

    /** One dispatched SSE event: {@code id} is {@code null} when the frame has none. */
    record Frame(String id, String event, String data) {
        JsonNode json() {
            return parse(data);
        }
    }

    /**
     * Parses an SSE body on its own thread as it arrives; frames without data ({@code retry:}) and comments
     * ({@code : ping}) are skipped. Every wait has a timeout.
     */
    private static final class SseReader implements AutoCloseable {
        private static final Frame CLOSED = new Frame(null, null, null);

        private final InputStream body;
        private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private volatile boolean closed;

        SseReader(InputStream body) {
            this.body = body;
            Thread thread = new Thread(this::read, "demo-sse-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                String event = null;
                StringBuilder data = null;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data != null) {
                            frames.add(new Frame(id, event == null ? "message" : event, data.toString()));
                        }
                        id = null;
                        event = null;
                        data = null;
                    } else if (line.startsWith(":")) {
                        continue;
                    } else if (line.startsWith("id:")) {
                        id = value(line, 3);
                    } else if (line.startsWith("event:")) {
                        event = value(line, 6);
                    } else if (line.startsWith("data:")) {
                        data = data == null ? new StringBuilder() : data.append('\n');
                        data.append(value(line, 5));
                    }
                }
            } catch (IOException e) {
                // The stream ended (or the test closed it): either way, nothing more arrives.
            } finally {
                closed = true;
                frames.add(CLOSED);
            }
        }

        private static String value(String line, int from) {
            String value = line.substring(from);
            return value.startsWith(" ") ? value.substring(1) : value;
        }

        /** @return the frames up to and including the first of type {@code event}, each awaited for at most WAIT */
        List<Frame> until(String event) throws InterruptedException {
            List<Frame> seen = new ArrayList<>();
            while (true) {
                Frame frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (frame == null) {
                    fail("no event within %s while waiting for %s; got %s", WAIT, event, seen);
                }
                if (frame == CLOSED) {
                    fail("the stream closed while waiting for %s; got %s", event, seen);
                }
                seen.add(frame);
                if (event.equals(frame.event())) {
                    return seen;
                }
            }
        }

        /** @return whether the server closed the stream within the timeout, with nothing more sent */
        boolean awaitClosed(Duration timeout) throws InterruptedException {
            Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame != null && frame != CLOSED) {
                fail("an event after the end: %s", frame);
            }
            return frame == CLOSED;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                body.close();
            }
        }
    }
}
