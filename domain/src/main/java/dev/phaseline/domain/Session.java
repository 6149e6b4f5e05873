package dev.phaseline.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A long-running user session and its lifecycle. Immutable: every command is a method that checks the
 * {@link TransitionTable}, then returns a {@link Transition} with the new session and its event(s), or throws.
 *
 * <p>Invariants, checked on construction: {@code version == lastEventSeq >= 1}; {@code pause} is present iff the
 * status is {@code paused}; {@code endedAt} is present iff the status is terminal; {@code failure} only on a failed
 * (or then deleted) session, and always on a failed one; {@code result} only on a completed (or then deleted) one.
 *
 * @param id              identity, never {@code null}
 * @param tenantId        the tenant it belongs to, never {@code null}
 * @param ownerId         the user who created it, never {@code null}
 * @param workflow        the workflow name, {@code default} unless given
 * @param title           a title, or {@code null}
 * @param status          the status, never {@code null}
 * @param phase           the current phase, or {@code null} before the first phase change
 * @param pause           why and since when it is paused, or {@code null} when not paused
 * @param progress        round, percentage and cost, never {@code null}
 * @param input           what it was created with, never {@code null}
 * @param result          what it completed with, or {@code null}
 * @param failure         why it failed, or {@code null}
 * @param answers         clarification answers given so far, by question id; never {@code null}
 * @param version         the optimistic-concurrency version, equal to {@code lastEventSeq}
 * @param lastEventSeq    the seq of its latest event
 * @param createdAt       when it was created
 * @param updatedAt       when its latest event happened
 * @param startedAt       when it started, or {@code null}
 * @param endedAt         when it reached a terminal status, or {@code null}
 * @param lastHeartbeatAt when its worker last showed life, or {@code null} before it started
 */
public record Session(
        SessionId id,
        String tenantId,
        String ownerId,
        String workflow,
        String title,
        SessionStatus status,
        Phase phase,
        Pause pause,
        Progress progress,
        JsonValue.JsonObject input,
        JsonValue.JsonObject result,
        Failure failure,
        Map<String, String> answers,
        long version,
        long lastEventSeq,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant endedAt,
        Instant lastHeartbeatAt) {

    /** The workflow of a session created without one. */
    public static final String DEFAULT_WORKFLOW = "default";

    private static final Pattern WORKFLOW = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Checks the invariants listed on the type. */
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        answers = Map.copyOf(answers);
        check(version >= 1 && version == lastEventSeq, "version equals lastEventSeq and is at least 1");
        check((status == SessionStatus.PAUSED) == (pause != null), "pause is present iff the session is paused");
        check(status.isTerminal() == (endedAt != null), "endedAt is present iff the status is terminal");
        check(status != SessionStatus.FAILED || failure != null, "a failed session has a failure");
        check(failure == null || status == SessionStatus.FAILED || status == SessionStatus.DELETED,
                "only a failed session has a failure");
        check(result == null || status == SessionStatus.COMPLETED || status == SessionStatus.DELETED,
                "only a completed session has a result");
    }

    private static void check(boolean invariant, String description) {
        if (!invariant) {
            throw new IllegalArgumentException("session invariant broken: " + description);
        }
    }

    /**
     * Creates a session: status {@code created}, event {@code session.created} with seq 1.
     *
     * @param id       the new id, from the caller's id generator
     * @param tenantId the tenant, 1–{@value Limits#PRINCIPAL_ID_MAX} characters
     * @param ownerId  the owning user, 1–{@value Limits#PRINCIPAL_ID_MAX} characters
     * @param workflow the workflow name ({@code [A-Za-z0-9][A-Za-z0-9_.-]{0,63}}), or {@code null} for
     *                 {@value #DEFAULT_WORKFLOW}
     * @param title    up to {@value Limits#TITLE_MAX} characters, or {@code null}
     * @param input    a JSON object of at most {@value Limits#INPUT_BYTES_MAX} bytes, or {@code null} for {@code {}}
     * @param at       now
     * @return the new session and its creation event
     * @throws ValidationException if an argument is malformed
     */
    public static Transition create(SessionId id, String tenantId, String ownerId, String workflow, String title,
            JsonValue.JsonObject input, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Text.required("tenantId", tenantId, Limits.PRINCIPAL_ID_MAX);
        Text.required("ownerId", ownerId, Limits.PRINCIPAL_ID_MAX);
        String checkedWorkflow = workflow == null ? DEFAULT_WORKFLOW
                : Text.matching("workflow", workflow, WORKFLOW, "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
        Text.optional("title", title, Limits.TITLE_MAX);
        JsonValue.JsonObject checkedInput = input == null ? JsonValue.EMPTY_OBJECT : input;
        checkSize("input", checkedInput, Limits.INPUT_BYTES_MAX);
        Session session = new Session(id, tenantId, ownerId, checkedWorkflow, title, SessionStatus.CREATED, null,
                null, Progress.NONE, checkedInput, null, null, Map.of(), 1, 1, at, at, null, null, null);
        return new Transition(session, List.of(
                new SessionEvent.Created(id, 1, at, checkedWorkflow, title, ownerId)));
    }

    /** @return the row of the transition table this session is in */
    public LifecycleState state() {
        return LifecycleState.of(status, pause == null ? null : pause.reason());
    }

    /** @return the commands allowed now */
    public Set<Command> allowedCommands() {
        return TransitionTable.allowedIn(state());
    }

    /**
     * {@code created → running}.
     *
     * @param at now
     * @return the running session and {@code session.started}
     * @throws IllegalTransitionException unless created
     */
    public Transition start(Instant at) {
        require(Command.START);
        Draft next = draft(at);
        next.status = SessionStatus.RUNNING;
        next.startedAt = at;
        next.lastHeartbeatAt = at;
        return next.emit(seq -> new SessionEvent.Started(id, seq, at));
    }

    /**
     * Moves a running session to another phase.
     *
     * @param to    the new phase
     * @param order the workflow's declared order, {@link PhaseOrder#ANY} when it declares none
     * @param at    now
     * @return the session in its new phase and {@code session.phase_changed}
     * @throws IllegalTransitionException  unless running
     * @throws PhaseOrderViolationException if the order does not allow this phase next
     */
    public Transition changePhase(Phase to, PhaseOrder order, Instant at) {
        Objects.requireNonNull(to, "to");
        require(Command.CHANGE_PHASE);
        if (!order.allows(phase, to)) {
            throw new PhaseOrderViolationException(status, allowedCommands(), phase, to, order.next(phase));
        }
        Phase from = phase;
        Draft next = draft(at);
        next.phase = to;
        next.lastHeartbeatAt = at;
        return next.emit(seq -> new SessionEvent.PhaseChanged(id, seq, at, from, to));
    }

    /**
     * Records progress of a running session.
     *
     * @param round        the new round ({@code >= 0}), or {@code null} to keep it
     * @param percent      the new percentage (0–100), or {@code null} to keep it
     * @param costUsdDelta cost to add ({@code >= 0}), or {@code null} for none
     * @param at           now
     * @return the session with its new progress and {@code session.progress}
     * @throws IllegalTransitionException unless running
     * @throws ValidationException        if a value is out of range
     */
    public Transition recordProgress(Integer round, Integer percent, BigDecimal costUsdDelta, Instant at) {
        require(Command.RECORD_PROGRESS);
        BigDecimal delta = costUsdDelta == null ? BigDecimal.ZERO : costUsdDelta;
        if (delta.signum() < 0) {
            throw ValidationException.of("costUsdDelta", "must be >= 0");
        }
        Progress updated = new Progress(round == null ? progress.round() : round,
                percent == null ? progress.percent() : percent, progress.costUsd().add(delta));
        Draft next = draft(at);
        next.progress = updated;
        next.lastHeartbeatAt = at;
        return next.emit(seq -> new SessionEvent.ProgressRecorded(id, seq, at, updated, delta));
    }

    /**
     * Pauses a running session with questions for its owner.
     *
     * @param questions 1–{@value Limits#QUESTIONS_MAX} questions with distinct ids
     * @param at        now
     * @return the session paused for clarification and {@code session.clarification_requested}
     * @throws IllegalTransitionException unless running
     * @throws ValidationException        if there are no questions, too many, or ids repeat
     */
    public Transition requestClarification(List<Question> questions, Instant at) {
        require(Command.REQUEST_CLARIFICATION);
        if (questions == null || questions.isEmpty()) {
            throw ValidationException.of("questions", "must hold at least one question");
        }
        if (questions.size() > Limits.QUESTIONS_MAX) {
            throw ValidationException.of("questions", "must hold at most " + Limits.QUESTIONS_MAX + " questions");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < questions.size(); i++) {
            if (!ids.add(questions.get(i).id())) {
                throw ValidationException.of("questions[" + i + "].id", "repeats id '" + questions.get(i).id() + "'");
            }
        }
        List<Question> asked = List.copyOf(questions);
        Draft next = draft(at);
        next.status = SessionStatus.PAUSED;
        next.pause = new Pause(PauseReason.CLARIFICATION_NEEDED, at, asked);
        return next.emit(seq -> new SessionEvent.ClarificationRequested(id, seq, at, asked));
    }

    /**
     * Pauses a running session on request.
     *
     * @param reason free text up to {@value Limits#MESSAGE_MAX} characters, or {@code null}
     * @param at     now
     * @return the session paused on request and {@code session.paused}
     * @throws IllegalTransitionException unless running
     */
    public Transition pause(String reason, Instant at) {
        require(Command.PAUSE);
        Text.optional("reason", reason, Limits.MESSAGE_MAX);
        Draft next = draft(at);
        next.status = SessionStatus.PAUSED;
        next.pause = new Pause(PauseReason.REQUESTED, at, List.of());
        return next.emit(seq -> new SessionEvent.Paused(id, seq, at, reason));
    }

    /**
     * Resumes a session paused on request.
     *
     * @param at now
     * @return the running session and {@code session.resumed}
     * @throws AnswersRequiredException   if it is paused for clarification
     * @throws IllegalTransitionException unless paused on request
     */
    public Transition resume(Instant at) {
        require(Command.RESUME);
        Draft next = draft(at);
        next.status = SessionStatus.RUNNING;
        next.pause = null;
        next.lastHeartbeatAt = at;
        return next.emit(seq -> new SessionEvent.Resumed(id, seq, at));
    }

    /**
     * Answers the open questions of a session paused for clarification and runs it again.
     *
     * @param given answers by question id; every required question needs a non-blank answer, and every id must
     *              name an open question
     * @param at    now
     * @return the running session with the answers stored and {@code session.clarification_answered}
     * @throws IllegalTransitionException unless paused for clarification
     * @throws ValidationException        if an answer names a question that is not open ({@code unknown} lists
     *                                    them) or is too long; nothing is stored
     * @throws AnswersMissingException    if a required question is unanswered
     */
    public Transition answerClarification(Map<String, String> given, Instant at) {
        require(Command.ANSWER_CLARIFICATION);
        Objects.requireNonNull(given, "answers");
        Map<String, Question> open = new HashMap<>();
        pause.questions().forEach(q -> open.put(q.id(), q));
        List<String> unknown = given.keySet().stream().filter(key -> !open.containsKey(key)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ValidationException(List.of(new ValidationException.FieldError("answers",
                    "names questions that are not open: " + String.join(", ", unknown))), unknown);
        }
        given.forEach((key, text) -> Text.optional("answers." + key, text, Limits.ANSWER_MAX));
        List<String> missing = new ArrayList<>();
        for (Question question : pause.questions()) {
            String answer = given.get(question.id());
            if (question.required() && (answer == null || answer.isBlank())) {
                missing.add(question.id());
            }
        }
        if (!missing.isEmpty()) {
            throw new AnswersMissingException(missing);
        }
        Map<String, String> answered = new TreeMap<>();
        given.forEach((key, text) -> {
            if (text != null) {
                answered.put(key, text);
            }
        });
        Map<String, String> all = new HashMap<>(answers);
        all.putAll(answered);
        Draft next = draft(at);
        next.status = SessionStatus.RUNNING;
        next.pause = null;
        next.answers = all;
        next.lastHeartbeatAt = at;
        return next.emit(seq -> new SessionEvent.ClarificationAnswered(id, seq, at, answered));
    }

    /**
     * Completes a running session. Illegal while paused: a worker that returns while its session waits for
     * clarification must not end it.
     *
     * @param result a JSON object of at most {@value Limits#INPUT_BYTES_MAX} bytes, or {@code null} for {@code {}}
     * @param at     now
     * @return the completed session and {@code session.completed}
     * @throws IllegalTransitionException unless running
     */
    public Transition complete(JsonValue.JsonObject result, Instant at) {
        require(Command.COMPLETE);
        JsonValue.JsonObject checked = result == null ? JsonValue.EMPTY_OBJECT : result;
        checkSize("result", checked, Limits.INPUT_BYTES_MAX);
        Draft next = draft(at);
        next.status = SessionStatus.COMPLETED;
        next.result = checked;
        next.endedAt = at;
        return next.emit(seq -> new SessionEvent.Completed(id, seq, at, checked));
    }

    /**
     * Fails an active session.
     *
     * @param code    matches {@code [a-z][a-z0-9_.]{0,63}}
     * @param message up to {@value Limits#MESSAGE_MAX} characters, or {@code null}
     * @param at      now
     * @return the failed session and {@code session.failed}
     * @throws IllegalTransitionException unless created, running or paused
     */
    public Transition fail(String code, String message, Instant at) {
        require(Command.FAIL);
        Failure why = new Failure(code, message);
        Draft next = draft(at);
        next.status = SessionStatus.FAILED;
        next.pause = null;
        next.failure = why;
        next.endedAt = at;
        return next.emit(seq -> new SessionEvent.Failed(id, seq, at, why));
    }

    /**
     * Kills an active session.
     *
     * @param by     who kills it, 1–{@value Limits#PRINCIPAL_ID_MAX} characters
     * @param reason free text up to {@value Limits#MESSAGE_MAX} characters, or {@code null}
     * @param at     now
     * @return the killed session and {@code session.killed}
     * @throws IllegalTransitionException unless created, running or paused
     */
    public Transition kill(String by, String reason, Instant at) {
        require(Command.KILL);
        Text.required("by", by, Limits.PRINCIPAL_ID_MAX);
        Text.optional("reason", reason, Limits.MESSAGE_MAX);
        Draft next = draft(at);
        next.status = SessionStatus.KILLED;
        next.pause = null;
        next.endedAt = at;
        return next.emit(seq -> new SessionEvent.Killed(id, seq, at, by, reason));
    }

    /**
     * Deletes a session. An active one is killed first, so it yields {@code session.killed} then
     * {@code session.deleted}; a finished one yields {@code session.deleted} only. The deleted session keeps its
     * other fields and stays readable by id.
     *
     * @param by who deletes it, 1–{@value Limits#PRINCIPAL_ID_MAX} characters
     * @param at now
     * @return the deleted session and its event(s)
     * @throws IllegalTransitionException if it is already deleted
     */
    public Transition delete(String by, Instant at) {
        require(Command.DELETE);
        Text.required("by", by, Limits.PRINCIPAL_ID_MAX);
        Draft next = draft(at);
        next.status = SessionStatus.DELETED;
        next.pause = null;
        next.endedAt = endedAt == null ? at : endedAt;
        if (status.isTerminal()) {
            return next.emit(seq -> new SessionEvent.Deleted(id, seq, at, by));
        }
        return next.emit(seq -> new SessionEvent.Killed(id, seq, at, by, "deleted"),
                seq -> new SessionEvent.Deleted(id, seq, at, by));
    }

    /**
     * Appends a custom event, such as {@code agent_thinking}, to a running or paused session. The status does not
     * change; on a running session it counts as a sign of life of its worker.
     *
     * @param type see {@link SessionEvent.Custom}
     * @param data a JSON object of at most {@value Limits#EVENT_DATA_BYTES_MAX} bytes, or {@code null} for {@code {}}
     * @param at   now
     * @return the session with its sequence advanced and the custom event
     * @throws IllegalTransitionException unless running or paused
     * @throws ValidationException        if the type or data is not allowed
     */
    public Transition appendEvent(String type, JsonValue.JsonObject data, Instant at) {
        require(Command.APPEND_EVENT);
        JsonValue.JsonObject checked = data == null ? JsonValue.EMPTY_OBJECT : data;
        SessionEvent.Custom probe = new SessionEvent.Custom(id, lastEventSeq + 1, at, type, checked);
        Draft next = draft(at);
        if (status == SessionStatus.RUNNING) {
            next.lastHeartbeatAt = at;
        }
        return next.emit(seq -> probe);
    }

    /**
     * Notes that the worker of a running session is alive. Only {@code lastHeartbeatAt} moves: no event, no new
     * version.
     *
     * @param at now
     * @return the session with its heartbeat moved
     * @throws IllegalTransitionException unless running
     */
    public Session heartbeat(Instant at) {
        require(Command.HEARTBEAT);
        return new Session(id, tenantId, ownerId, workflow, title, status, phase, pause, progress, input, result,
                failure, answers, version, lastEventSeq, createdAt, updatedAt, startedAt, endedAt,
                Objects.requireNonNull(at, "at"));
    }

    private void require(Command command) {
        LifecycleState state = state();
        if (TransitionTable.allows(state, command)) {
            return;
        }
        if (command == Command.RESUME && state == LifecycleState.PAUSED_FOR_CLARIFICATION) {
            throw new AnswersRequiredException();
        }
        throw new IllegalTransitionException(status, command, TransitionTable.allowedIn(state));
    }

    private static void checkSize(String path, JsonValue value, int max) {
        if (value.encodedSize() > max) {
            throw ValidationException.of(path, "must be at most " + max + " bytes as JSON");
        }
    }

    private Draft draft(Instant at) {
        return new Draft(this, Objects.requireNonNull(at, "at"));
    }

    /** Builds the next session from this one; each emitted event advances the sequence by one. */
    private static final class Draft {
        private final Session from;
        private final Instant at;
        SessionStatus status;
        Phase phase;
        Pause pause;
        Progress progress;
        JsonValue.JsonObject result;
        Failure failure;
        Map<String, String> answers;
        Instant startedAt;
        Instant endedAt;
        Instant lastHeartbeatAt;

        Draft(Session from, Instant at) {
            this.from = from;
            this.at = at;
            status = from.status;
            phase = from.phase;
            pause = from.pause;
            progress = from.progress;
            result = from.result;
            failure = from.failure;
            answers = from.answers;
            startedAt = from.startedAt;
            endedAt = from.endedAt;
            lastHeartbeatAt = from.lastHeartbeatAt;
        }

        Transition emit(EventFactory... factories) {
            List<SessionEvent> events = new ArrayList<>(factories.length);
            long seq = from.lastEventSeq;
            for (EventFactory factory : factories) {
                events.add(factory.at(++seq));
            }
            Session next = new Session(from.id, from.tenantId, from.ownerId, from.workflow, from.title, status,
                    phase, pause, progress, from.input, result, failure, answers, seq, seq, from.createdAt, at,
                    startedAt, endedAt, lastHeartbeatAt);
            return new Transition(next, events);
        }
    }

    /** Makes the event that gets a given seq. */
    @FunctionalInterface
    private interface EventFactory {
        SessionEvent at(long seq);
    }
}
