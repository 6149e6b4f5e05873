package dev.phaseline.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What happened to a session. Every transition yields exactly one event ({@code delete} of an active session two),
 * numbered by the per-session {@link #seq()} 1, 2, 3 … with no gap; the new state and its events are stored as one.
 *
 * <p>{@link #type()} and {@link #data()} are the event as clients see it.
 */
public sealed interface SessionEvent {

    /** Type of {@link Created}. */
    String CREATED = "session.created";
    /** Type of {@link Started}. */
    String STARTED = "session.started";
    /** Type of {@link PhaseChanged}. */
    String PHASE_CHANGED = "session.phase_changed";
    /** Type of {@link ProgressRecorded}. */
    String PROGRESS = "session.progress";
    /** Type of {@link ClarificationRequested}. */
    String CLARIFICATION_REQUESTED = "session.clarification_requested";
    /** Type of {@link Paused}. */
    String PAUSED = "session.paused";
    /** Type of {@link Resumed}. */
    String RESUMED = "session.resumed";
    /** Type of {@link ClarificationAnswered}. */
    String CLARIFICATION_ANSWERED = "session.clarification_answered";
    /** Type of {@link Completed}. */
    String COMPLETED = "session.completed";
    /** Type of {@link Failed}. */
    String FAILED = "session.failed";
    /** Type of {@link Killed}. */
    String KILLED = "session.killed";
    /** Type of {@link Deleted}. */
    String DELETED = "session.deleted";

    /** The types after which a session stream ends. */
    Set<String> TERMINAL_TYPES = Set.of(COMPLETED, FAILED, KILLED, DELETED);

    /** @return the session it happened to */
    SessionId sessionId();

    /** @return its number within the session: 1 for creation, then +1 per event */
    long seq();

    /** @return when it happened */
    Instant at();

    /** @return its type, e.g. {@code session.paused} or a custom type such as {@code agent_thinking} */
    String type();

    /** @return its data as clients see it; an object, {@code {}} when there is nothing to say */
    JsonValue.JsonObject data();

    /**
     * @param type an event type
     * @return the status a session stream reports when it ends after an event of this type, or {@code null} when
     *         the type is not terminal
     */
    static SessionStatus terminalStatusOf(String type) {
        return switch (type) {
            case COMPLETED -> SessionStatus.COMPLETED;
            case FAILED -> SessionStatus.FAILED;
            case KILLED -> SessionStatus.KILLED;
            case DELETED -> SessionStatus.DELETED;
            default -> null;
        };
    }

    /**
     * A session was created.
     *
     * @param sessionId the session
     * @param seq       always 1
     * @param at        when
     * @param workflow  its workflow
     * @param title     its title, may be {@code null}
     * @param ownerId   who owns it
     */
    record Created(SessionId sessionId, long seq, Instant at, String workflow, String title, String ownerId)
            implements SessionEvent {
        @Override
        public String type() {
            return CREATED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return EventData.of("workflow", JsonValue.of(workflow), "title", JsonValue.ofNullable(title),
                    "ownerId", JsonValue.of(ownerId));
        }
    }

    /**
     * A created session started running.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     */
    record Started(SessionId sessionId, long seq, Instant at) implements SessionEvent {
        @Override
        public String type() {
            return STARTED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return JsonValue.EMPTY_OBJECT;
        }
    }

    /**
     * A running session moved to another phase.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     * @param from      the previous phase, or {@code null}
     * @param to        the new phase
     */
    record PhaseChanged(SessionId sessionId, long seq, Instant at, Phase from, Phase to) implements SessionEvent {
        @Override
        public String type() {
            return PHASE_CHANGED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return EventData.of("from", from == null ? JsonValue.NULL : JsonValue.of(from.name()),
                    "to", JsonValue.of(to.name()));
        }
    }

    /**
     * A running session reported progress.
     *
     * @param sessionId    the session
     * @param seq          its number
     * @param at           when
     * @param progress     the progress after the report
     * @param costUsdDelta the cost added by this report
     */
    record ProgressRecorded(SessionId sessionId, long seq, Instant at, Progress progress, BigDecimal costUsdDelta)
            implements SessionEvent {
        @Override
        public String type() {
            return PROGRESS;
        }

        @Override
        public JsonValue.JsonObject data() {
            return EventData.of("round", JsonValue.of(progress.round()),
                    "percent", progress.percent() == null ? JsonValue.NULL : JsonValue.of(progress.percent()),
                    "costUsd", JsonValue.of(progress.costUsd()),
                    "costUsdDelta", JsonValue.of(costUsdDelta));
        }
    }

    /**
     * A running session paused with questions for its owner.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     * @param questions the questions asked
     */
    record ClarificationRequested(SessionId sessionId, long seq, Instant at, List<Question> questions)
            implements SessionEvent {
        /** Copies the questions. */
        public ClarificationRequested {
            questions = List.copyOf(questions);
        }

        @Override
        public String type() {
            return CLARIFICATION_REQUESTED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return EventData.of("questions", new JsonValue.JsonArray(questions.stream()
                    .<JsonValue>map(q -> EventData.of("id", JsonValue.of(q.id()), "text", JsonValue.of(q.text()),
                            "required", JsonValue.of(q.required())))
                    .toList()));
        }
    }

    /**
     * A running session was paused on request.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     * @param reason    the free-text reason given, or {@code null}
     */
    record Paused(SessionId sessionId, long seq, Instant at, String reason) implements SessionEvent {
        @Override
        public String type() {
            return PAUSED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return EventData.of("reason", JsonValue.ofNullable(reason));
        }
    }

    /**
     * A session paused on request runs again.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     */
    record Resumed(SessionId sessionId, long seq, Instant at) implements SessionEvent {
        @Override
        public String type() {
            return RESUMED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return JsonValue.EMPTY_OBJECT;
        }
    }

    /**
     * The open questions were answered and the session runs again.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     * @param answers   the answers given, by question id
     */
    record ClarificationAnswered(SessionId sessionId, long seq, Instant at, Map<String, String> answers)
            implements SessionEvent {
        /** Copies the answers. */
        public ClarificationAnswered {
            answers = Map.copyOf(answers);
        }

        @Override
        public String type() {
            return CLARIFICATION_ANSWERED;
        }

        @Override
        public JsonValue.JsonObject data() {
            Map<String, JsonValue> values = new LinkedHashMap<>();
            answers.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(answer -> values.put(answer.getKey(), JsonValue.of(answer.getValue())));
            return EventData.of("answers", JsonValue.object(values));
        }
    }

    /**
     * A running session completed.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     * @param result    its result
     */
    record Completed(SessionId sessionId, long seq, Instant at, JsonValue.JsonObject result) implements SessionEvent {
        @Override
        public String type() {
            return COMPLETED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return EventData.of("result", result);
        }
    }

    /**
     * An active session failed.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     * @param failure   why
     */
    record Failed(SessionId sessionId, long seq, Instant at, Failure failure) implements SessionEvent {
        @Override
        public String type() {
            return FAILED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return EventData.of("code", JsonValue.of(failure.code()), "message", JsonValue.ofNullable(failure.message()));
        }
    }

    /**
     * An active session was killed.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     * @param by        who killed it
     * @param reason    the free-text reason given, or {@code null}
     */
    record Killed(SessionId sessionId, long seq, Instant at, String by, String reason) implements SessionEvent {
        @Override
        public String type() {
            return KILLED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return EventData.of("by", JsonValue.of(by), "reason", JsonValue.ofNullable(reason));
        }
    }

    /**
     * A session was deleted. It stays readable by id, with its history.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     * @param by        who deleted it
     */
    record Deleted(SessionId sessionId, long seq, Instant at, String by) implements SessionEvent {
        @Override
        public String type() {
            return DELETED;
        }

        @Override
        public JsonValue.JsonObject data() {
            return EventData.of("by", JsonValue.of(by));
        }
    }

    /**
     * An event a worker reported, such as {@code agent_thinking}. Its type matches {@code [a-z][a-z0-9_.]{0,63}},
     * does not start with {@code session.} (reserved for lifecycle events) and is not {@code end} (reserved for the
     * end of a stream); its data is an object of at most {@value Limits#EVENT_DATA_BYTES_MAX} bytes.
     *
     * @param sessionId the session
     * @param seq       its number
     * @param at        when
     * @param type      the custom type
     * @param data      the data
     */
    record Custom(SessionId sessionId, long seq, Instant at, String type, JsonValue.JsonObject data)
            implements SessionEvent {
        /** @throws ValidationException if the type or the data is not allowed */
        public Custom {
            checkType(type);
            Objects.requireNonNull(data, "data");
            if (data.encodedSize() > Limits.EVENT_DATA_BYTES_MAX) {
                throw ValidationException.of("data", "must be at most " + Limits.EVENT_DATA_BYTES_MAX + " bytes");
            }
        }

        /**
         * @param type a proposed custom type
         * @return the type, checked
         * @throws ValidationException (path {@code type}) if it is not allowed as a custom type
         */
        public static String checkType(String type) {
            Text.matching("type", type, EventData.CUSTOM_TYPE, "[a-z][a-z0-9_.]{0,63}");
            if (type.startsWith("session.")) {
                throw ValidationException.of("type", "must not start with 'session.', which lifecycle events use");
            }
            if (type.equals("end")) {
                throw ValidationException.of("type", "'end' is reserved for the end of a stream");
            }
            return type;
        }
    }
}
