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
 * The adapter's two JSON formats, written straight to text and read with the domain's own {@link JsonValue}: a whole
 * {@link Session} for a cache entry, and a batch of {@link StoredEvent}s for a bus message. Both are lossless:
 * instants keep their nanoseconds as ISO-8601 text and the cost keeps its scale as decimal text. Reading throws
 * {@link IllegalArgumentException} (or a domain {@code ValidationException}) on anything malformed.
 */
final class RedisJson {

    private RedisJson() {
    }

    // --- sessions -------------------------------------------------------------------------------------------------

    static String sessionToJson(Session session) {
        // Written straight to text: building a JsonValue tree first cost more than the writing itself.
        StringBuilder out = new StringBuilder(512);
        out.append("{\"id\":");
        string(session.id().toString(), out);
        out.append(",\"tenantId\":");
        string(session.tenantId(), out);
        out.append(",\"ownerId\":");
        string(session.ownerId(), out);
        out.append(",\"workflow\":");
        string(session.workflow(), out);
        out.append(",\"title\":");
        nullableString(session.title(), out);
        out.append(",\"status\":");
        string(session.status().wireName(), out);
        out.append(",\"phase\":");
        nullableString(session.phase() == null ? null : session.phase().name(), out);
        out.append(",\"pause\":");
        if (session.pause() == null) {
            out.append("null");
        } else {
            pauseToJson(session.pause(), out);
        }
        Progress progress = session.progress();
        out.append(",\"progress\":{\"round\":").append(progress.round()).append(",\"percent\":");
        if (progress.percent() == null) {
            out.append("null");
        } else {
            out.append(progress.percent().intValue());
        }
        out.append(",\"costUsd\":");
        string(progress.costUsd().toString(), out);
        out.append("},\"input\":");
        session.input().appendJson(out);
        out.append(",\"result\":");
        if (session.result() == null) {
            out.append("null");
        } else {
            session.result().appendJson(out);
        }
        out.append(",\"failure\":");
        if (session.failure() == null) {
            out.append("null");
        } else {
            out.append("{\"code\":");
            string(session.failure().code(), out);
            out.append(",\"message\":");
            nullableString(session.failure().message(), out);
            out.append('}');
        }
        out.append(",\"answers\":{");
        boolean first = true;
        for (Map.Entry<String, String> answer : new TreeMap<>(session.answers()).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(answer.getKey(), out);
            out.append(':');
            string(answer.getValue(), out);
        }
        out.append("},\"version\":").append(session.version());
        out.append(",\"lastEventSeq\":").append(session.lastEventSeq());
        out.append(",\"createdAt\":");
        instant(session.createdAt(), out);
        out.append(",\"updatedAt\":");
        instant(session.updatedAt(), out);
        out.append(",\"startedAt\":");
        instant(session.startedAt(), out);
        out.append(",\"endedAt\":");
        instant(session.endedAt(), out);
        out.append(",\"lastHeartbeatAt\":");
        instant(session.lastHeartbeatAt(), out);
        return out.append('}').toString();
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

    private static void pauseToJson(Pause pause, StringBuilder out) {
        out.append("{\"reason\":");
        string(pause.reason().wireName(), out);
        out.append(",\"since\":");
        instant(pause.since(), out);
        out.append(",\"questions\":[");
        boolean first = true;
        for (Question q : pause.questions()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append("{\"id\":");
            string(q.id(), out);
            out.append(",\"text\":");
            string(q.text(), out);
            out.append(",\"required\":").append(q.required()).append('}');
        }
        out.append("]}");
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

    /**
     * @param prefix the publishing node's {@link #messagePrefix(String)}, which the message begins with: the node
     *               recognises its own messages by it, so the two cannot drift apart
     */
    static String messageToJson(String prefix, List<StoredEvent> events) {
        StringBuilder out = new StringBuilder(128 + 256 * events.size());
        out.append(prefix).append("\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            StoredEvent event = events.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"position\":").append(event.position()).append(",\"sessionId\":");
            string(event.sessionId().toString(), out);
            out.append(",\"tenantId\":");
            string(event.tenantId(), out);
            out.append(",\"seq\":").append(event.seq()).append(",\"type\":");
            string(event.type(), out);
            out.append(",\"occurredAt\":");
            instant(event.at(), out);
            out.append(",\"data\":");
            event.data().appendJson(out);
            out.append('}');
        }
        return out.append("]}").toString();
    }

    /**
     * @return how every message of {@code node} begins (the node is its first member), so that a node recognises its
     *         own messages without decoding them
     */
    static String messagePrefix(String node) {
        StringBuilder out = new StringBuilder("{\"node\":");
        string(node, out);
        return out.append(',').toString();
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

    private static void instant(Instant at, StringBuilder out) {
        nullableString(at == null ? null : at.toString(), out);
    }

    private static void nullableString(String text, StringBuilder out) {
        if (text == null) {
            out.append("null");
        } else {
            string(text, out);
        }
    }

    private static void string(String text, StringBuilder out) {
        JsonValue.appendString(text, out);
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
