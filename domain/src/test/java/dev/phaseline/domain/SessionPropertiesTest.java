package dev.phaseline.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the lifecycle over seeded random command sequences, in plain JUnit. Each seed drives up to
 * {@value #MAX_STEPS} commands with valid and sometimes invalid arguments against a real {@link Session}, and a
 * small model of its own predicts after every step whether the command is accepted and what the session is then.
 *
 * <p>A failure names its seed and the command trace. Replay one seed with
 * {@code ./mvnw -B -q -pl domain verify -Dtest=SessionPropertiesTest#replay_seed
 * -Dsurefire.failIfNoSpecifiedTests=false -Dphaseline.seed=<seed>}.
 */
class SessionPropertiesTest {

    private static final int SEEDS = 500;
    private static final int MAX_STEPS = 60;
    /** A deleted session refuses everything; a few tries show it, more would only lengthen the trace. */
    private static final int STEPS_AFTER_DELETE = 3;
    private static final String SEED_PROPERTY = "phaseline.seed";

    private static final Instant START = Instant.parse("2026-03-01T09:00:00Z");
    private static final List<String> DECLARED_PHASES =
            List.of("decomposition", "identify_gaps", "persona_selection", "deliberation", "synthesis");
    private static final String UNDECLARED_PHASE = "unplanned";
    private static final List<String> QUESTION_IDS = List.of("q1", "q2", "q3", "q4", "q5", "q6");
    private static final List<String> CUSTOM_TYPES = List.of("agent_started", "agent_thinking", "tool_executing",
            "tool_completed", "agent_completed", "tool.call");
    private static final List<String> BAD_CUSTOM_TYPES = List.of("session.x", "session.completed", "end",
            "Agent_thinking", "a".repeat(65), "9lives");
    private static final JsonValue.JsonObject OVERSIZED_RESULT =
            JsonValue.object(Map.of("v", JsonValue.of("r".repeat(256 * 1024))));
    private static final JsonValue.JsonObject OVERSIZED_DATA =
            JsonValue.object(Map.of("v", JsonValue.of("d".repeat(64 * 1024))));
    private static final Set<Command> ENDINGS = EnumSet.of(Command.COMPLETE, Command.FAIL, Command.KILL,
            Command.DELETE);
    private static final List<Command> COMMANDS =
            List.copyOf(EnumSet.complementOf(EnumSet.of(Command.CREATE)));

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void random_command_sequences_keep_every_lifecycle_invariant(long seed) {
        new Run(seed).execute();
    }

    @Test
    void replay_seed() {
        String seed = System.getProperty(SEED_PROPERTY);
        assumeTrue(seed != null, "set -D" + SEED_PROPERTY + "=<seed> to replay one command sequence");
        Run run = new Run(Long.parseLong(seed.trim()));
        try {
            run.execute();
        } finally {
            System.out.println("seed " + seed + "\n" + String.join("\n", run.trace));
        }
    }

    @Test
    void the_sequences_reach_every_state_and_every_kind_of_outcome() {
        Set<M> visited = EnumSet.noneOf(M.class);
        Set<Command> accepted = EnumSet.noneOf(Command.class);
        Set<Command> refused = EnumSet.noneOf(Command.class);
        Set<Class<?>> errors = new HashSet<>();
        for (long seed : seeds().toArray()) {
            Run run = new Run(seed);
            run.execute();
            visited.addAll(run.visited);
            accepted.addAll(run.accepted);
            refused.addAll(run.refused);
            errors.addAll(run.errors);
        }

        assertThat(visited).containsExactlyInAnyOrder(M.values());
        assertThat(accepted).containsExactlyInAnyOrderElementsOf(COMMANDS);
        assertThat(refused).containsExactlyInAnyOrderElementsOf(COMMANDS);
        assertThat(errors).containsExactlyInAnyOrder(IllegalTransitionException.class,
                AnswersRequiredException.class, AnswersMissingException.class, ValidationException.class,
                PhaseOrderViolationException.class);
    }

    @Test
    void a_broken_property_reports_its_seed_and_the_command_trace() {
        Run run = new Run(7);
        run.extraCheck = session -> assertThat(session.version()).as("planted check").isLessThan(3);

        Throwable failure = catchThrowable(run::execute);

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed 7")
                .hasMessageContaining("-Dphaseline.seed=7")
                .hasMessageContaining("#1 ")
                .hasMessageContaining("planted check");
    }

    // ---------------------------------------------------------------------------------------------------------
    // The model: its own states and rules, written from PRODUCT.md without reading TransitionTable.

    /** The model's states; {@code PAUSED_Q} waits for answers, {@code PAUSED_R} was paused on request. */
    enum M {
        CREATED, RUNNING, PAUSED_Q, PAUSED_R, COMPLETED, FAILED, KILLED, DELETED;

        boolean terminal() {
            return this == COMPLETED || this == FAILED || this == KILLED || this == DELETED;
        }

        boolean paused() {
            return this == PAUSED_Q || this == PAUSED_R;
        }

        SessionStatus status() {
            return switch (this) {
                case CREATED -> SessionStatus.CREATED;
                case RUNNING -> SessionStatus.RUNNING;
                case PAUSED_Q, PAUSED_R -> SessionStatus.PAUSED;
                case COMPLETED -> SessionStatus.COMPLETED;
                case FAILED -> SessionStatus.FAILED;
                case KILLED -> SessionStatus.KILLED;
                case DELETED -> SessionStatus.DELETED;
            };
        }
    }

    static boolean legal(M state, Command command) {
        return switch (command) {
            case START -> state == M.CREATED;
            case CHANGE_PHASE, RECORD_PROGRESS, REQUEST_CLARIFICATION, PAUSE, COMPLETE, HEARTBEAT ->
                    state == M.RUNNING;
            case RESUME -> state == M.PAUSED_R;
            case ANSWER_CLARIFICATION -> state == M.PAUSED_Q;
            case FAIL, KILL -> !state.terminal();
            case DELETE -> state != M.DELETED;
            case APPEND_EVENT -> state == M.RUNNING || state.paused();
            case CREATE -> false;
        };
    }

    static M next(M state, Command command) {
        return switch (command) {
            case START, RESUME, ANSWER_CLARIFICATION -> M.RUNNING;
            case CHANGE_PHASE, RECORD_PROGRESS, APPEND_EVENT, HEARTBEAT -> state;
            case REQUEST_CLARIFICATION -> M.PAUSED_Q;
            case PAUSE -> M.PAUSED_R;
            case COMPLETE -> M.COMPLETED;
            case FAIL -> M.FAILED;
            case KILL -> M.KILLED;
            case DELETE -> M.DELETED;
            case CREATE -> throw new IllegalArgumentException("create");
        };
    }

    static List<String> expectedEventTypes(M from, Command command, String customType) {
        return switch (command) {
            case START -> List.of("session.started");
            case CHANGE_PHASE -> List.of("session.phase_changed");
            case RECORD_PROGRESS -> List.of("session.progress");
            case REQUEST_CLARIFICATION -> List.of("session.clarification_requested");
            case PAUSE -> List.of("session.paused");
            case RESUME -> List.of("session.resumed");
            case ANSWER_CLARIFICATION -> List.of("session.clarification_answered");
            case COMPLETE -> List.of("session.completed");
            case FAIL -> List.of("session.failed");
            case KILL -> List.of("session.killed");
            case DELETE -> from.terminal() ? List.of("session.deleted") : List.of("session.killed", "session.deleted");
            case APPEND_EVENT -> List.of(customType);
            case HEARTBEAT -> List.of();
            case CREATE -> throw new IllegalArgumentException("create");
        };
    }

    /** What the model knows about the session besides its state. */
    static final class Model {
        M state = M.CREATED;
        long seq = 1;
        String phase;
        List<Question> open = List.of();
        final Map<String, String> answers = new HashMap<>();
        int round;
        Integer percent;
        BigDecimal cost = BigDecimal.ZERO;
        Instant lastHeartbeatAt;
        Instant endedAt;
    }

    /**
     * One generated command.
     *
     * @param command       the command
     * @param description   the command and its arguments, for the trace
     * @param argumentError the error its arguments must cause when the state allows it, or {@code null}
     * @param action        runs it: returns a {@link Transition}, or a {@link Session} for heartbeat
     * @param onAccepted    updates the model's data when the command is accepted
     * @param customType    the custom type of an appended event
     * @param beats         whether, when accepted, it counts as a sign of life of the worker
     */
    record Step(Command command, String description, Class<? extends PhaselineException> argumentError,
            BiFunction<Session, Instant, Object> action, Consumer<Model> onAccepted, String customType,
            boolean beats) {

        Step(Command command, String description, Class<? extends PhaselineException> argumentError,
                BiFunction<Session, Instant, Object> action, Consumer<Model> onAccepted, String customType) {
            this(command, description, argumentError, action, onAccepted, customType, false);
        }

        Step withHeartbeat() {
            return withHeartbeatIf(true);
        }

        Step withHeartbeatIf(boolean counts) {
            return new Step(command, description, argumentError, action, onAccepted, customType, counts);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // One run: a seed, its generated commands, and the checks after each.

    static final class Run {
        final long seed;
        final Random random;
        final boolean declaredOrder;
        final PhaseOrder order;
        final List<String> trace = new ArrayList<>();
        final Set<M> visited = EnumSet.noneOf(M.class);
        final Set<Command> accepted = EnumSet.noneOf(Command.class);
        final Set<Command> refused = EnumSet.noneOf(Command.class);
        final Set<Class<?>> errors = new HashSet<>();
        Consumer<Session> extraCheck = session -> { };

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            this.declaredOrder = random.nextBoolean();
            this.order = declaredOrder
                    ? new PhaseOrder(DECLARED_PHASES.stream().map(Phase::new).toList())
                    : PhaseOrder.ANY;
        }

        void execute() {
            try {
                run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property broken for seed " + seed + " (phase order "
                        + (declaredOrder ? "declared" : "any") + ")\n"
                        + "replay: ./mvnw -B -q -pl domain verify -Dtest=SessionPropertiesTest#replay_seed"
                        + " -Dsurefire.failIfNoSpecifiedTests=false -D" + SEED_PROPERTY + "=" + seed + "\n"
                        + "command trace:\n" + String.join("\n", trace) + "\n"
                        + "failure: " + e.getMessage(), e);
            }
        }

        private void run() {
            Transition created = Session.create(SessionFixtures.ID, "acme", "alice", "demo", "Seeded session",
                    null, START);
            trace.add("  #0 create -> accepted " + describe(created.events()));
            assertThat(created.events()).extracting(SessionEvent::seq).containsExactly(1L);
            Session session = created.session();
            Model model = new Model();
            visited.add(model.state);
            check(session, model);

            Instant now = START;
            int steps = 1 + random.nextInt(MAX_STEPS);
            int stepsWhileDeleted = 0;
            for (int i = 1; i <= steps && stepsWhileDeleted < STEPS_AFTER_DELETE; i++) {
                if (model.state == M.DELETED) {
                    stepsWhileDeleted++;
                }
                now = now.plusSeconds(1 + random.nextInt(30));
                session = step(i, session, model, now);
                visited.add(model.state);
                check(session, model);
                extraCheck.accept(session);
            }
        }

        private Session step(int index, Session session, Model model, Instant now) {
            M before = model.state;
            Step step = generate(model);
            Class<? extends PhaselineException> expectedError;
            if (!legal(before, step.command())) {
                expectedError = step.command() == Command.RESUME && before == M.PAUSED_Q
                        ? AnswersRequiredException.class
                        : IllegalTransitionException.class;
            } else {
                expectedError = step.argumentError();
            }

            String prefix = "  #" + index + " " + before + " " + step.description() + " -> ";
            trace.add(prefix + "threw an unexpected exception");
            Object outcome = null;
            PhaselineException refusal = null;
            try {
                outcome = step.action().apply(session, now);
            } catch (PhaselineException e) {
                refusal = e;
            }
            String result;
            if (refusal != null) {
                result = "refused " + refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
            } else if (outcome instanceof Transition transition) {
                result = "accepted " + describe(transition.events());
            } else {
                result = "accepted, no event";
            }
            trace.set(trace.size() - 1, prefix + result);

            String where = "step #" + index + " " + step.description() + " in " + before;
            if (expectedError != null) {
                assertThat(refusal).as("%s: the model expects %s", where, expectedError.getSimpleName())
                        .isExactlyInstanceOf(expectedError);
                if (refusal instanceof IllegalTransitionException illegal) {
                    assertThat(illegal.currentStatus()).as(where).isEqualTo(before.status());
                    assertThat(illegal.attempted()).as(where).isEqualTo(step.command());
                }
                refused.add(step.command());
                errors.add(refusal.getClass());
                return session;
            }
            assertThat(refusal).as("%s: the model expects it to be accepted", where).isNull();
            accepted.add(step.command());

            // Terminal statuses absorb: after one, only a single delete is accepted.
            if (before.terminal()) {
                assertThat(step.command()).as(where).isEqualTo(Command.DELETE);
                assertThat(before).as(where).isNotEqualTo(M.DELETED);
            }

            if (step.command() == Command.HEARTBEAT) {
                assertThat(outcome).as(where).isInstanceOf(Session.class);
                Session beat = (Session) outcome;
                assertThat(beat.version()).as("%s: version after heartbeat", where).isEqualTo(session.version());
                assertThat(beat.updatedAt()).as(where).isEqualTo(session.updatedAt());
                assertThat(beat.lastHeartbeatAt()).as(where).isEqualTo(now);
                accept(step, model, before, now);
                return beat;
            }

            assertThat(outcome).as(where).isInstanceOf(Transition.class);
            Transition transition = (Transition) outcome;
            List<SessionEvent> events = transition.events();
            assertThat(events).extracting(SessionEvent::type).as("%s: event types", where)
                    .containsExactlyElementsOf(expectedEventTypes(before, step.command(), step.customType()));
            for (SessionEvent event : events) {
                model.seq++;
                assertThat(event.seq()).as("%s: seq without gap", where).isEqualTo(model.seq);
                assertThat(event.at()).as(where).isEqualTo(now);
            }
            Session after = transition.session();

            // A worker returning while its session waits must never end it: completed never follows paused.
            if (after.status() == SessionStatus.COMPLETED) {
                assertThat(session.status()).as("%s: status before completion", where)
                        .isEqualTo(SessionStatus.RUNNING);
            }
            // Accepted answers only ever name questions that were open.
            if (events.get(0) instanceof SessionEvent.ClarificationAnswered answered) {
                List<String> openIds = session.pause().questions().stream().map(Question::id).toList();
                assertThat(answered.answers().keySet()).as(where).isSubsetOf(openIds);
            }

            accept(step, model, before, now);
            return after;
        }

        private static void accept(Step step, Model model, M before, Instant now) {
            step.onAccepted().accept(model);
            if (step.beats()) {
                model.lastHeartbeatAt = now;
            }
            model.state = next(before, step.command());
            if (model.state.terminal() && model.endedAt == null) {
                model.endedAt = now;
            }
        }

        private void check(Session session, Model model) {
            assertThat(session.version()).as("version").isEqualTo(model.seq);
            assertThat(session.lastEventSeq()).as("lastEventSeq").isEqualTo(model.seq);
            assertThat(session.status()).as("status").isEqualTo(model.state.status());
            assertThat(session.status().isTerminal()).as("terminal").isEqualTo(model.state.terminal());
            assertThat(session.endedAt() != null).as("endedAt is set iff terminal")
                    .isEqualTo(session.status().isTerminal());
            assertThat(session.endedAt()).as("endedAt").isEqualTo(model.endedAt);
            assertThat(session.pause() != null).as("pause is present iff paused")
                    .isEqualTo(session.status() == SessionStatus.PAUSED);
            if (model.state == M.PAUSED_Q) {
                assertThat(session.pause().reason()).isEqualTo(PauseReason.CLARIFICATION_NEEDED);
                assertThat(session.pause().questions()).as("open questions").isEqualTo(model.open);
            } else if (model.state == M.PAUSED_R) {
                assertThat(session.pause().reason()).isEqualTo(PauseReason.REQUESTED);
            }
            assertThat(session.answers()).as("answers").isEqualTo(model.answers);
            assertThat(session.phase() == null ? null : session.phase().name()).as("phase").isEqualTo(model.phase);
            assertThat(session.progress().round()).as("round").isEqualTo(model.round);
            assertThat(session.progress().percent()).as("percent").isEqualTo(model.percent);
            assertThat(session.progress().costUsd()).as("cost").isEqualByComparingTo(model.cost);
            assertThat(session.lastHeartbeatAt()).as("lastHeartbeatAt").isEqualTo(model.lastHeartbeatAt);
        }

        // -----------------------------------------------------------------------------------------------------
        // Generation

        private Step generate(Model model) {
            Command command = pickCommand(model.state);
            boolean invalid = random.nextInt(100) < 15;
            return switch (command) {
                case START -> new Step(command, "start()", null, (s, at) -> s.start(at), m -> { }, null)
                        .withHeartbeat();
                case CHANGE_PHASE -> changePhase(model);
                case RECORD_PROGRESS -> recordProgress(invalid);
                case REQUEST_CLARIFICATION -> requestClarification(invalid);
                case PAUSE -> {
                    String reason = invalid ? "r".repeat(2_001)
                            : random.nextBoolean() ? null : "break " + random.nextInt(9);
                    yield new Step(command, "pause(" + shorten(reason) + ")",
                            invalid ? ValidationException.class : null, (s, at) -> s.pause(reason, at), m -> { }, null);
                }
                case RESUME -> new Step(command, "resume()", null, (s, at) -> s.resume(at), m -> { }, null)
                        .withHeartbeat();
                case ANSWER_CLARIFICATION -> answerClarification(model);
                case COMPLETE -> {
                    JsonValue.JsonObject result = invalid ? OVERSIZED_RESULT
                            : JsonValue.object(Map.of("synthesis", JsonValue.of("s" + random.nextInt(100))));
                    yield new Step(command, "complete(" + shorten(result.toJson()) + ")",
                            invalid ? ValidationException.class : null, (s, at) -> s.complete(result, at),
                            m -> { }, null);
                }
                case FAIL -> {
                    String code = invalid ? "Tool Error" : List.of("tool_error", "worker_lost", "timeout")
                            .get(random.nextInt(3));
                    yield new Step(command, "fail(" + code + ")", invalid ? ValidationException.class : null,
                            (s, at) -> s.fail(code, "message", at), m -> { }, null);
                }
                case KILL -> {
                    String by = invalid ? " " : "bob";
                    yield new Step(command, "kill(by='" + by + "')", invalid ? ValidationException.class : null,
                            (s, at) -> s.kill(by, null, at), m -> { }, null);
                }
                case DELETE -> {
                    String by = invalid ? "" : "alice";
                    yield new Step(command, "delete(by='" + by + "')", invalid ? ValidationException.class : null,
                            (s, at) -> s.delete(by, at), m -> { }, null);
                }
                case APPEND_EVENT -> appendEvent(model, invalid);
                case HEARTBEAT -> new Step(command, "heartbeat()", null, (s, at) -> s.heartbeat(at), m -> { }, null)
                        .withHeartbeat();
                case CREATE -> throw new IllegalStateException("create is never generated");
            };
        }

        /**
         * Mostly a command the model allows now, sometimes any command. Commands that end the session are drawn
         * rarely, so that sequences live long enough to pause, answer and change phase many times.
         */
        private Command pickCommand(M state) {
            boolean ending = random.nextInt(100) < 3;
            List<Command> legalNow = COMMANDS.stream().filter(command -> legal(state, command)).toList();
            List<Command> pool;
            if (legalNow.isEmpty() || random.nextInt(100) < 20) {
                pool = COMMANDS.stream().filter(command -> ending || !(ENDINGS.contains(command)
                        && legal(state, command))).toList();
            } else {
                pool = legalNow.stream().filter(command -> ENDINGS.contains(command) == ending).toList();
            }
            if (pool.isEmpty()) {
                pool = legalNow.isEmpty() ? COMMANDS : legalNow;
            }
            return pool.get(random.nextInt(pool.size()));
        }

        private Step changePhase(Model model) {
            String target = random.nextInt(6) == 0 ? UNDECLARED_PHASE
                    : DECLARED_PHASES.get(random.nextInt(DECLARED_PHASES.size()));
            boolean allowed = !declaredOrder || phaseMayFollow(model.phase, target);
            return new Step(Command.CHANGE_PHASE, "changePhase(" + target + ")",
                    allowed ? null : PhaseOrderViolationException.class,
                    (s, at) -> s.changePhase(new Phase(target), order, at), m -> m.phase = target, null)
                    .withHeartbeat();
        }

        private static boolean phaseMayFollow(String current, String target) {
            int to = DECLARED_PHASES.indexOf(target);
            return to >= 0 && (current == null || to > DECLARED_PHASES.indexOf(current));
        }

        private Step recordProgress(boolean invalid) {
            Integer round = random.nextBoolean() ? null : random.nextInt(10);
            Integer percent = random.nextBoolean() ? null : random.nextInt(101);
            BigDecimal delta = random.nextBoolean() ? null : BigDecimal.valueOf(random.nextInt(500), 2);
            if (invalid) {
                switch (random.nextInt(3)) {
                    case 0 -> percent = 101 + random.nextInt(5);
                    case 1 -> delta = BigDecimal.valueOf(-1 - random.nextInt(100), 2);
                    default -> round = -1 - random.nextInt(3);
                }
            }
            Integer r = round;
            Integer p = percent;
            BigDecimal d = delta;
            return new Step(Command.RECORD_PROGRESS, "recordProgress(round=" + r + ", percent=" + p + ", delta=" + d
                    + ")", invalid ? ValidationException.class : null, (s, at) -> s.recordProgress(r, p, d, at),
                    m -> {
                        m.round = r == null ? m.round : r;
                        m.percent = p == null ? m.percent : p;
                        m.cost = d == null ? m.cost : m.cost.add(d);
                    }, null).withHeartbeat();
        }

        private Step requestClarification(boolean invalid) {
            List<String> ids = new ArrayList<>(QUESTION_IDS);
            Collections.shuffle(ids, random);
            List<Question> questions = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (String id : ids.subList(0, count)) {
                questions.add(new Question(id, "Question " + id + "?", random.nextBoolean()));
            }
            if (invalid) {
                switch (random.nextInt(3)) {
                    case 0 -> questions.clear();
                    case 1 -> {
                        questions.clear();
                        for (int i = 0; i < 21; i++) {
                            questions.add(new Question("x" + i, "Question " + i + "?", false));
                        }
                    }
                    default -> questions.add(new Question(questions.get(0).id(), "Again?", true));
                }
            }
            List<Question> asked = List.copyOf(questions);
            String shown = asked.size() > 5 ? asked.size() + " questions"
                    : asked.stream().map(q -> q.id() + (q.required() ? "*" : "")).toList().toString();
            return new Step(Command.REQUEST_CLARIFICATION, "requestClarification(" + shown + ")",
                    invalid ? ValidationException.class : null, (s, at) -> s.requestClarification(asked, at),
                    m -> m.open = asked, null);
        }

        private Step answerClarification(Model model) {
            List<Question> open = model.state == M.PAUSED_Q ? model.open : List.of();
            Map<String, String> given = new LinkedHashMap<>();
            for (Question question : open) {
                if (question.required() || random.nextBoolean()) {
                    given.put(question.id(), "answer " + random.nextInt(100));
                }
            }
            int variant = random.nextInt(100);
            if (variant < 15) {
                // leave a required question unanswered, or answer it with blanks
                open.stream().filter(Question::required).findFirst().ifPresent(question -> {
                    if (random.nextBoolean()) {
                        given.remove(question.id());
                    } else {
                        given.put(question.id(), "  ");
                    }
                });
            } else if (variant < 30) {
                // name a question that is not open, such as one of an earlier request
                List<String> candidates = new ArrayList<>(QUESTION_IDS);
                candidates.add("nope");
                candidates.removeAll(open.stream().map(Question::id).toList());
                given.put(candidates.get(random.nextInt(candidates.size())), "stray");
            } else if (variant < 35) {
                String id = open.isEmpty() ? "q1" : open.get(random.nextInt(open.size())).id();
                given.put(id, "nul\0inside");
            }
            Map<String, String> answers = Map.copyOf(given);
            Class<? extends PhaselineException> error = expectedAnswerError(open, answers);
            return new Step(Command.ANSWER_CLARIFICATION, "answerClarification(" + new TreeMap<>(answers)
                    + ")", error, (s, at) -> s.answerClarification(answers, at), m -> {
                        m.answers.putAll(answers);
                        m.open = List.of();
                    }, null).withHeartbeat();
        }

        /** The model's rules for answers: unknown ids first, then malformed text, then missing required ones. */
        private static Class<? extends PhaselineException> expectedAnswerError(List<Question> open,
                Map<String, String> answers) {
            List<String> openIds = open.stream().map(Question::id).toList();
            if (!openIds.containsAll(answers.keySet())) {
                return ValidationException.class;
            }
            if (answers.values().stream().anyMatch(text -> text.indexOf('\0') >= 0 || text.length() > 10_000)) {
                return ValidationException.class;
            }
            for (Question question : open) {
                String answer = answers.get(question.id());
                if (question.required() && (answer == null || answer.isBlank())) {
                    return AnswersMissingException.class;
                }
            }
            return null;
        }

        private Step appendEvent(Model model, boolean invalid) {
            boolean badType = invalid && random.nextBoolean();
            boolean badData = invalid && !badType;
            String type = badType ? BAD_CUSTOM_TYPES.get(random.nextInt(BAD_CUSTOM_TYPES.size()))
                    : CUSTOM_TYPES.get(random.nextInt(CUSTOM_TYPES.size()));
            JsonValue.JsonObject data = badData ? OVERSIZED_DATA
                    : JsonValue.object(Map.of("round", JsonValue.of(random.nextInt(5))));
            boolean running = model.state == M.RUNNING;
            return new Step(Command.APPEND_EVENT, "appendEvent(" + shorten(type) + (badData ? ", 64 KiB + 9 B" : "")
                    + ")", invalid ? ValidationException.class : null, (s, at) -> s.appendEvent(type, data, at),
                    m -> { }, type).withHeartbeatIf(running);
        }

        private static String shorten(String text) {
            return text == null || text.length() <= 40 ? String.valueOf(text) : text.substring(0, 20) + "…("
                    + text.length() + " chars)";
        }

        private static String describe(List<SessionEvent> events) {
            return events.stream().map(event -> event.type() + "#" + event.seq()).toList().toString();
        }
    }
}
