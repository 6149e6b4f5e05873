package dev.phaseline.adapters.redis;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Failure;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Pause;
import dev.phaseline.domain.PauseReason;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.Progress;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The adapter's two JSON formats, written and read with the domain's own {@link JsonValue}: a whole
 * {@link Session} for a cache entry, and a batch of {@link StoredEvent}s for a bus message. Both are lossless:
 * instants keep their nanoseconds as ISO-8601 text and the cost keeps its scale as decimal text. Reading throws
 * {@link IllegalArgumentException} (or a domain {@code ValidationException}) on anything malformed.
 */
final class RedisJson {

    private RedisJson() {
    }

    // --- sessions -------------------------------------------------------------------------------------------------

    static String sessionToJson(Session session) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("id", JsonValue.of(session.id().toString()));
        m.put("tenantId", JsonValue.of(session.tenantId()));
        m.put("ownerId", JsonValue.of(session.ownerId()));
        m.put("workflow", JsonValue.of(session.workflow()));
        m.put("title", JsonValue.ofNullable(session.title()));
        m.put("status", JsonValue.of(session.status().wireName()));
        m.put("phase", session.phase() == null ? JsonValue.NULL : JsonValue.of(session.phase().name()));
        m.put("pause", session.pause() == null ? JsonValue.NULL : pauseToJson(session.pause()));
        Progress progress = session.progress();
        Map<String, JsonValue> p = new LinkedHashMap<>();
        p.put("round", JsonValue.of(progress.round()));
        p.put("percent", progress.percent() == null ? JsonValue.NULL : JsonValue.of(progress.percent()));
        p.put("costUsd", JsonValue.of(progress.costUsd().toString()));
        m.put("progress", JsonValue.object(p));
        m.put("input", session.input());
        m.put("result", session.result() == null ? JsonValue.NULL : session.result());
        if (session.failure() == null) {
            m.put("failure", JsonValue.NULL);
        } else {
            Map<String, JsonValue> f = new LinkedHashMap<>();
            f.put("code", JsonValue.of(session.failure().code()));
            f.put("message", JsonValue.ofNullable(session.failure().message()));
            m.put("failure", JsonValue.object(f));
        }
        Map<String, JsonValue> answers = new TreeMap<>();
        session.answers().forEach((key, text) -> answers.put(key, JsonValue.of(text)));
        m.put("answers", JsonValue.object(answers));
        m.put("version", JsonValue.of(session.version()));
        m.put("lastEventSeq", JsonValue.of(session.lastEventSeq()));
        m.put("createdAt", instant(session.createdAt()));
        m.put("updatedAt", instant(session.updatedAt()));
        m.put("startedAt", instant(session.startedAt()));
        m.put("endedAt", instant(session.endedAt()));
        m.put("lastHeartbeatAt", instant(session.lastHeartbeatAt()));
        return JsonValue.object(m).toJson();
    }

    static Session sessionFromJson(String json) {
        JsonValue.JsonObject m = object(JsonValue.parse(json), "session");
        JsonValue.JsonObject p = object(m.get("progress"), "progress");
        JsonValue.JsonObject f = nullableObject(m.get("failure"), "failure");
        Map<String, String> answers = new LinkedHashMap<>();
        object(m.get("answers"), "answers").members().forEach((key, value) -> answers.put(key, string(value, key)));
        Long percent = nullableLong(p.get("percent"), "percent");
        String phase = nullableString(m.get("phase"), "phase");
        return new Session(
                SessionId.parse(string(m.get("id"), "id")),
                string(m.get("tenantId"), "tenantId"),
                string(m.get("ownerId"), "ownerId"),
                string(m.get("workflow"), "workflow"),
                nullableString(m.get("title"), "title"),
                SessionStatus.fromWireName(string(m.get("status"), "status")),
                phase == null ? null : new Phase(phase),
                pauseFromJson(nullableObject(m.get("pause"), "pause")),
                new Progress(Math.toIntExact(number(p.get("round"), "round")),
                        percent == null ? null : Math.toIntExact(percent),
                        new BigDecimal(string(p.get("costUsd"), "costUsd"))),
                object(m.get("input"), "input"),
                nullableObject(m.get("result"), "result"),
                f == null ? null : new Failure(string(f.get("code"), "code"),
                        nullableString(f.get("message"), "message")),
                answers,
                number(m.get("version"), "version"),
                number(m.get("lastEventSeq"), "lastEventSeq"),
                Instant.parse(string(m.get("createdAt"), "createdAt")),
                Instant.parse(string(m.get("updatedAt"), "updatedAt")),
                nullableInstant(m.get("startedAt"), "startedAt"),
                nullableInstant(m.get("endedAt"), "endedAt"),
                nullableInstant(m.get("lastHeartbeatAt"), "lastHeartbeatAt"));
    }

    private static JsonValue pauseToJson(Pause pause) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("reason", JsonValue.of(pause.reason().wireName()));
        m.put("since", instant(pause.since()));
        List<JsonValue> questions = new ArrayList<>();
        for (Question q : pause.questions()) {
            Map<String, JsonValue> question = new LinkedHashMap<>();
            question.put("id", JsonValue.of(q.id()));
            question.put("text", JsonValue.of(q.text()));
            question.put("required", JsonValue.of(q.required()));
            questions.add(JsonValue.object(question));
        }
        m.put("questions", new JsonValue.JsonArray(questions));
        return JsonValue.object(m);
    }

    private static Pause pauseFromJson(JsonValue.JsonObject m) {
        if (m == null) {
            return null;
        }
        List<Question> questions = new ArrayList<>();
        if (!(m.get("questions") instanceof JsonValue.JsonArray array)) {
            throw new IllegalArgumentException("questions is not an array");
        }
        for (JsonValue element : array.elements()) {
            JsonValue.JsonObject q = object(element, "question");
            if (!(q.get("required") instanceof JsonValue.JsonBoolean required)) {
                throw new IllegalArgumentException("required is not a boolean");
            }
            questions.add(new Question(string(q.get("id"), "id"), string(q.get("text"), "text"), required.value()));
        }
        return new Pause(PauseReason.fromWireName(string(m.get("reason"), "reason")),
                Instant.parse(string(m.get("since"), "since")), questions);
    }

    // --- bus messages ---------------------------------------------------------------------------------------------

    /** A bus message: the events of one publish call, and the node that published them. */
    record Message(String node, List<StoredEvent> events) {
    }

    static String messageToJson(String node, List<StoredEvent> events) {
        List<JsonValue> list = new ArrayList<>(events.size());
        for (StoredEvent event : events) {
            Map<String, JsonValue> m = new LinkedHashMap<>();
            m.put("position", JsonValue.of(event.position()));
            m.put("sessionId", JsonValue.of(event.sessionId().toString()));
            m.put("tenantId", JsonValue.of(event.tenantId()));
            m.put("seq", JsonValue.of(event.seq()));
            m.put("type", JsonValue.of(event.type()));
            m.put("occurredAt", instant(event.at()));
            m.put("data", event.data());
            list.add(JsonValue.object(m));
        }
        Map<String, JsonValue> message = new LinkedHashMap<>();
        message.put("node", JsonValue.of(node));
        message.put("events", new JsonValue.JsonArray(list));
        return JsonValue.object(message).toJson();
    }

    static Message messageFromJson(String json) {
        JsonValue.JsonObject message = object(JsonValue.parse(json), "message");
        if (!(message.get("events") instanceof JsonValue.JsonArray array)) {
            throw new IllegalArgumentException("events is not an array");
        }
        List<StoredEvent> events = new ArrayList<>(array.elements().size());
        for (JsonValue element : array.elements()) {
            JsonValue.JsonObject m = object(element, "event");
            events.add(new StoredEvent(number(m.get("position"), "position"),
                    SessionId.parse(string(m.get("sessionId"), "sessionId")),
                    string(m.get("tenantId"), "tenantId"),
                    number(m.get("seq"), "seq"),
                    string(m.get("type"), "type"),
                    Instant.parse(string(m.get("occurredAt"), "occurredAt")),
                    object(m.get("data"), "data")));
        }
        return new Message(string(message.get("node"), "node"), events);
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static JsonValue instant(Instant at) {
        return at == null ? JsonValue.NULL : JsonValue.of(at.toString());
    }

    private static Instant nullableInstant(JsonValue value, String name) {
        String text = nullableString(value, name);
        return text == null ? null : Instant.parse(text);
    }

    private static JsonValue.JsonObject object(JsonValue value, String name) {
        if (value instanceof JsonValue.JsonObject object) {
            return object;
        }
        throw new IllegalArgumentException(name + " is not an object");
    }

    private static JsonValue.JsonObject nullableObject(JsonValue value, String name) {
        return value instanceof JsonValue.JsonNull ? null : object(value, name);
    }

    private static String string(JsonValue value, String name) {
        if (value instanceof JsonValue.JsonString string) {
            return string.value();
        }
        throw new IllegalArgumentException(name + " is not a string");
    }

    private static String nullableString(JsonValue value, String name) {
        return value instanceof JsonValue.JsonNull ? null : string(value, name);
    }

    private static long number(JsonValue value, String name) {
        if (value instanceof JsonValue.JsonNumber number) {
            return number.value().longValueExact();
        }
        throw new IllegalArgumentException(name + " is not a number");
    }

    private static Long nullableLong(JsonValue value, String name) {
        return value instanceof JsonValue.JsonNull ? null : number(value, name);
    }
}
