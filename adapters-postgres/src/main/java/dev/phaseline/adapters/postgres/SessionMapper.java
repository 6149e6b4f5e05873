package dev.phaseline.adapters.postgres;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts between the domain and the adapter's entities. JSON goes through the domain's own {@link JsonValue}:
 * text in and out of {@code jsonb}, so no JSON library type reaches the domain.
 */
final class SessionMapper {

    private SessionMapper() {
    }

    static SessionJpaEntity toEntity(Session session) {
        SessionJpaEntity row = new SessionJpaEntity();
        row.id = session.id().value();
        row.tenantId = session.tenantId();
        row.ownerId = session.ownerId();
        row.workflow = session.workflow();
        row.title = session.title();
        row.status = session.status().wireName();
        row.phase = session.phase() == null ? null : session.phase().name();
        Pause pause = session.pause();
        if (pause != null) {
            row.pauseReason = pause.reason().wireName();
            row.pauseSince = pause.since();
            row.pauseQuestions = questionsToJson(pause.questions());
        }
        row.progressRound = session.progress().round();
        row.progressPercent = session.progress().percent();
        row.costUsd = session.progress().costUsd();
        row.input = session.input().toJson();
        row.result = session.result() == null ? null : session.result().toJson();
        if (session.failure() != null) {
            row.failureCode = session.failure().code();
            row.failureMessage = session.failure().message();
        }
        row.answers = answersToJson(session.answers());
        row.version = session.version();
        row.lastEventSeq = session.lastEventSeq();
        row.createdAt = session.createdAt();
        row.updatedAt = session.updatedAt();
        row.startedAt = session.startedAt();
        row.endedAt = session.endedAt();
        row.lastHeartbeatAt = session.lastHeartbeatAt();
        return row;
    }

    static Session toDomain(SessionJpaEntity row) {
        Pause pause = row.pauseReason == null ? null
                : new Pause(PauseReason.fromWireName(row.pauseReason), row.pauseSince,
                        questionsFromJson(row.pauseQuestions));
        Failure failure = row.failureCode == null ? null : new Failure(row.failureCode, row.failureMessage);
        return new Session(
                new SessionId(row.id),
                row.tenantId,
                row.ownerId,
                row.workflow,
                row.title,
                SessionStatus.fromWireName(row.status),
                row.phase == null ? null : new Phase(row.phase),
                pause,
                new Progress(row.progressRound, row.progressPercent, row.costUsd),
                object(row.input),
                row.result == null ? null : object(row.result),
                failure,
                answersFromJson(row.answers),
                row.version,
                row.lastEventSeq,
                row.createdAt,
                row.updatedAt,
                row.startedAt,
                row.endedAt,
                row.lastHeartbeatAt);
    }

    static StoredEvent toDomain(SessionEventJpaEntity row) {
        return new StoredEvent(row.position, new SessionId(row.sessionId), row.tenantId, row.seq, row.type, row.at,
                object(row.data));
    }

    static JsonValue.JsonObject object(String json) {
        JsonValue value = JsonValue.parse(json);
        if (value instanceof JsonValue.JsonObject object) {
            return object;
        }
        throw new IllegalStateException("stored JSON is not an object: " + json);
    }

    static String questionsToJson(List<Question> questions) {
        return new JsonValue.JsonArray(questions.stream()
                .<JsonValue>map(q -> {
                    Map<String, JsonValue> members = new LinkedHashMap<>();
                    members.put("id", JsonValue.of(q.id()));
                    members.put("text", JsonValue.of(q.text()));
                    members.put("required", JsonValue.of(q.required()));
                    return JsonValue.object(members);
                })
                .toList()).toJson();
    }

    static List<Question> questionsFromJson(String json) {
        if (json == null) {
            return List.of();
        }
        JsonValue.JsonArray array = (JsonValue.JsonArray) JsonValue.parse(json);
        return array.elements().stream()
                .map(element -> {
                    JsonValue.JsonObject q = (JsonValue.JsonObject) element;
                    return new Question(((JsonValue.JsonString) q.get("id")).value(),
                            ((JsonValue.JsonString) q.get("text")).value(),
                            ((JsonValue.JsonBoolean) q.get("required")).value());
                })
                .toList();
    }

    static String answersToJson(Map<String, String> answers) {
        Map<String, JsonValue> members = new TreeMap<>();
        answers.forEach((key, text) -> members.put(key, JsonValue.of(text)));
        return JsonValue.object(members).toJson();
    }

    static Map<String, String> answersFromJson(String json) {
        Map<String, String> answers = new LinkedHashMap<>();
        object(json).members().forEach((key, value) -> answers.put(key, ((JsonValue.JsonString) value).value()));
        return answers;
    }
}
