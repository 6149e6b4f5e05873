package dev.phaseline.domain;

import static dev.phaseline.domain.SessionFixtures.after;
import static dev.phaseline.domain.SessionFixtures.inState;
import static dev.phaseline.domain.SessionFixtures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lifecycle state against every command, checked against the table of PRODUCT.md written out here by hand.
 * Nothing in this class reads the expected answer from {@link TransitionTable}.
 */
class TransitionTableTest {

    /** The transition table of PRODUCT.md: X = allowed, . = illegal. One row per state, one column per command. */
    private static final String EXPECTED_GRID = """
            state                     start phase progress clarify pause resume answer complete fail kill delete append heartbeat
            CREATED                   X     .     .        .       .     .      .      .        X    X    X      .      .
            RUNNING                   .     X     X        X       X     .      .      X        X    X    X      X      X
            PAUSED_FOR_CLARIFICATION  .     .     .        .       .     .      X      .        X    X    X      X      .
            PAUSED_ON_REQUEST         .     .     .        .       .     X      .      .        X    X    X      X      .
            COMPLETED                 .     .     .        .       .     .      .      .        .    .    X      .      .
            FAILED                    .     .     .        .       .     .      .      .        .    .    X      .      .
            KILLED                    .     .     .        .       .     .      .      .        .    .    X      .      .
            DELETED                   .     .     .        .       .     .      .      .        .    .    .      .      .
            """;

    /** The grid's column names. */
    private static final Map<String, Command> COLUMNS = Map.ofEntries(
            Map.entry("start", Command.START),
            Map.entry("phase", Command.CHANGE_PHASE),
            Map.entry("progress", Command.RECORD_PROGRESS),
            Map.entry("clarify", Command.REQUEST_CLARIFICATION),
            Map.entry("pause", Command.PAUSE),
            Map.entry("resume", Command.RESUME),
            Map.entry("answer", Command.ANSWER_CLARIFICATION),
            Map.entry("complete", Command.COMPLETE),
            Map.entry("fail", Command.FAIL),
            Map.entry("kill", Command.KILL),
            Map.entry("delete", Command.DELETE),
            Map.entry("append", Command.APPEND_EVENT),
            Map.entry("heartbeat", Command.HEARTBEAT));

    private static final Map<LifecycleState, Set<Command>> EXPECTED = parseGrid();

    /** The status and pause reason a session in each state shows. */
    private static final Map<LifecycleState, Shape> SHAPE_OF = Map.of(
            LifecycleState.CREATED, new Shape(SessionStatus.CREATED, null),
            LifecycleState.RUNNING, new Shape(SessionStatus.RUNNING, null),
            LifecycleState.PAUSED_FOR_CLARIFICATION, new Shape(SessionStatus.PAUSED, PauseReason.CLARIFICATION_NEEDED),
            LifecycleState.PAUSED_ON_REQUEST, new Shape(SessionStatus.PAUSED, PauseReason.REQUESTED),
            LifecycleState.COMPLETED, new Shape(SessionStatus.COMPLETED, null),
            LifecycleState.FAILED, new Shape(SessionStatus.FAILED, null),
            LifecycleState.KILLED, new Shape(SessionStatus.KILLED, null),
            LifecycleState.DELETED, new Shape(SessionStatus.DELETED, null));

    /** The event record behind each lifecycle event type. */
    private static final Map<String, Class<? extends SessionEvent>> EVENT_CLASSES = Map.ofEntries(
            Map.entry("session.started", SessionEvent.Started.class),
            Map.entry("session.phase_changed", SessionEvent.PhaseChanged.class),
            Map.entry("session.progress", SessionEvent.ProgressRecorded.class),
            Map.entry("session.clarification_requested", SessionEvent.ClarificationRequested.class),
            Map.entry("session.paused", SessionEvent.Paused.class),
            Map.entry("session.resumed", SessionEvent.Resumed.class),
            Map.entry("session.clarification_answered", SessionEvent.ClarificationAnswered.class),
            Map.entry("session.completed", SessionEvent.Completed.class),
            Map.entry("session.failed", SessionEvent.Failed.class),
            Map.entry("session.killed", SessionEvent.Killed.class),
            Map.entry("session.deleted", SessionEvent.Deleted.class),
            Map.entry("agent_thinking", SessionEvent.Custom.class));

    private static final Set<LifecycleState> ACTIVE = EnumSet.of(LifecycleState.CREATED, LifecycleState.RUNNING,
            LifecycleState.PAUSED_FOR_CLARIFICATION, LifecycleState.PAUSED_ON_REQUEST);

    /** A status with the pause reason it shows, {@code null} unless paused. */
    private record Shape(SessionStatus status, PauseReason reason) {
    }

    /** What an allowed command must produce: the new shape and the types of its events, in order. */
    private record Effect(Shape shape, List<String> eventTypes) {
    }

    private static Map<LifecycleState, Set<Command>> parseGrid() {
        List<String> lines = EXPECTED_GRID.lines().filter(line -> !line.isBlank()).toList();
        String[] header = lines.get(0).trim().split("\\s+");
        List<Command> columns = new ArrayList<>();
        for (String name : Arrays.asList(header).subList(1, header.length)) {
            Command command = COLUMNS.get(name);
            if (command == null || columns.contains(command)) {
                throw new IllegalStateException("bad or repeated column '" + name + "' in the expected grid");
            }
            columns.add(command);
        }
        Map<LifecycleState, Set<Command>> table = new EnumMap<>(LifecycleState.class);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length != columns.size() + 1) {
                throw new IllegalStateException("row has " + cells.length + " cells: " + line);
            }
            Set<Command> allowed = EnumSet.noneOf(Command.class);
            for (int i = 0; i < columns.size(); i++) {
                switch (cells[i + 1]) {
                    case "X" -> allowed.add(columns.get(i));
                    case "." -> { }
                    default -> throw new IllegalStateException("cell must be X or .: " + line);
                }
            }
            if (table.put(LifecycleState.valueOf(cells[0]), allowed) != null) {
                throw new IllegalStateException("repeated row " + cells[0]);
            }
        }
        return table;
    }

    /** The effect PRODUCT.md gives each allowed command, written per command. */
    private static Effect expectedEffect(LifecycleState from, Command command) {
        Shape running = new Shape(SessionStatus.RUNNING, null);
        return switch (command) {
            case START -> new Effect(running, List.of("session.started"));
            case CHANGE_PHASE -> new Effect(running, List.of("session.phase_changed"));
            case RECORD_PROGRESS -> new Effect(running, List.of("session.progress"));
            case REQUEST_CLARIFICATION -> new Effect(new Shape(SessionStatus.PAUSED, PauseReason.CLARIFICATION_NEEDED),
                    List.of("session.clarification_requested"));
            case PAUSE -> new Effect(new Shape(SessionStatus.PAUSED, PauseReason.REQUESTED), List.of("session.paused"));
            case RESUME -> new Effect(running, List.of("session.resumed"));
            case ANSWER_CLARIFICATION -> new Effect(running, List.of("session.clarification_answered"));
            case COMPLETE -> new Effect(new Shape(SessionStatus.COMPLETED, null), List.of("session.completed"));
            case FAIL -> new Effect(new Shape(SessionStatus.FAILED, null), List.of("session.failed"));
            case KILL -> new Effect(new Shape(SessionStatus.KILLED, null), List.of("session.killed"));
            case DELETE -> new Effect(new Shape(SessionStatus.DELETED, null), ACTIVE.contains(from)
                    ? List.of("session.killed", "session.deleted")
                    : List.of("session.deleted"));
            case APPEND_EVENT -> new Effect(SHAPE_OF.get(from), List.of("agent_thinking"));
            case HEARTBEAT -> new Effect(SHAPE_OF.get(from), List.of());
            case CREATE -> throw new IllegalArgumentException("create has no row");
        };
    }

    /** Runs a command with valid arguments; returns a {@link Transition}, or a {@link Session} for heartbeat. */
    private static Object invoke(Session session, Command command, Instant at) {
        return switch (command) {
            case START -> session.start(at);
            case CHANGE_PHASE -> session.changePhase(new Phase("analysis"), PhaseOrder.ANY, at);
            case RECORD_PROGRESS -> session.recordProgress(1, 40, new BigDecimal("0.25"), at);
            case REQUEST_CLARIFICATION -> session.requestClarification(
                    List.of(new Question("scope", "Which scope?", true)), at);
            case PAUSE -> session.pause("owner asked", at);
            case RESUME -> session.resume(at);
            case ANSWER_CLARIFICATION -> session.answerClarification(Map.of("q1", "Europe"), at);
            case COMPLETE -> session.complete(JsonValue.object(Map.of("summary", JsonValue.of("done"))), at);
            case FAIL -> session.fail("tool_error", "the search tool failed", at);
            case KILL -> session.kill("bob", "runaway cost", at);
            case DELETE -> session.delete("alice", at);
            case APPEND_EVENT -> session.appendEvent("agent_thinking",
                    JsonValue.object(Map.of("agent", JsonValue.of("critic"))), at);
            case HEARTBEAT -> session.heartbeat(at);
            case CREATE -> throw new IllegalArgumentException("create needs no session");
        };
    }

    static Stream<Arguments> every_state_and_command() {
        List<Arguments> pairs = new ArrayList<>();
        for (LifecycleState state : LifecycleState.values()) {
            for (Command command : Command.values()) {
                if (command != Command.CREATE) {
                    pairs.add(Arguments.of(state, command));
                }
            }
        }
        return pairs.stream();
    }

    @Test
    void the_expected_grid_covers_every_state_and_every_command_but_create() {
        assertThat(EXPECTED).containsOnlyKeys(LifecycleState.values());
        assertThat(COLUMNS.values())
                .containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(EnumSet.of(Command.CREATE)));
        assertThat(every_state_and_command()).hasSize(8 * 13);
    }

    @Test
    void each_fixture_is_in_the_state_it_is_named_for() {
        for (LifecycleState state : LifecycleState.values()) {
            Session session = inState(state);
            Shape shape = SHAPE_OF.get(state);
            assertThat(session.status()).as("status of %s", state).isEqualTo(shape.status());
            assertThat(session.pause() == null ? null : session.pause().reason()).as("pause reason of %s", state)
                    .isEqualTo(shape.reason());
            assertThat(session.state()).isEqualTo(state);
        }
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("every_state_and_command")
    void each_command_is_allowed_exactly_where_the_table_says(LifecycleState state, Command command) {
        Session before = inState(state);
        Instant at = after(before);
        boolean allowed = EXPECTED.get(state).contains(command);

        if (allowed) {
            assertAllowed(before, state, command, at);
        } else if (state == LifecycleState.PAUSED_FOR_CLARIFICATION && command == Command.RESUME) {
            AnswersRequiredException error = thrownBy(AnswersRequiredException.class,
                    () -> invoke(before, command, at));
            assertThat(error.code()).isEqualTo("answers_required");
        } else {
            IllegalTransitionException error = thrownBy(IllegalTransitionException.class,
                    () -> invoke(before, command, at));
            assertThat(error).isExactlyInstanceOf(IllegalTransitionException.class);
            assertThat(error.code()).isEqualTo("illegal_transition");
            assertThat(error.currentStatus()).isEqualTo(SHAPE_OF.get(state).status());
            assertThat(error.attempted()).isEqualTo(command);
            assertThat(error.allowed()).containsExactlyInAnyOrderElementsOf(EXPECTED.get(state));
            assertThat(error.getMessage()).contains(command.wireName(), SHAPE_OF.get(state).status().wireName());
        }
    }

    private static void assertAllowed(Session before, LifecycleState state, Command command, Instant at) {
        Effect effect = expectedEffect(state, command);
        Object outcome = invoke(before, command, at);

        if (command == Command.HEARTBEAT) {
            assertThat(outcome).isInstanceOf(Session.class);
            Session after = (Session) outcome;
            assertThat(after.lastHeartbeatAt()).isEqualTo(at).isNotEqualTo(before.lastHeartbeatAt());
            assertThat(after.version()).isEqualTo(before.version());
            assertThat(after.lastEventSeq()).isEqualTo(before.lastEventSeq());
            assertThat(after.updatedAt()).isEqualTo(before.updatedAt());
            assertThat(after).usingRecursiveComparison().ignoringFields("lastHeartbeatAt").isEqualTo(before);
            return;
        }

        assertThat(outcome).isInstanceOf(Transition.class);
        Transition transition = (Transition) outcome;
        Session after = transition.session();
        List<SessionEvent> events = transition.events();

        assertThat(events).extracting(SessionEvent::type).containsExactlyElementsOf(effect.eventTypes());
        for (int i = 0; i < events.size(); i++) {
            SessionEvent event = events.get(i);
            assertThat(event).isExactlyInstanceOf(EVENT_CLASSES.get(effect.eventTypes().get(i)));
            assertThat(event.seq()).as("seq of event %d", i).isEqualTo(before.lastEventSeq() + 1 + i);
            assertThat(event.sessionId()).isEqualTo(before.id());
            assertThat(event.at()).isEqualTo(at);
        }
        assertThat(after.lastEventSeq()).isEqualTo(before.lastEventSeq() + events.size());
        assertThat(after.version()).isEqualTo(before.version() + events.size());
        assertThat(after.status()).isEqualTo(effect.shape().status());
        assertThat(after.pause() == null ? null : after.pause().reason()).isEqualTo(effect.shape().reason());
        assertThat(after.updatedAt()).isEqualTo(at);
        assertThat(after.id()).isEqualTo(before.id());
    }

    @Test
    void allowed_in_matches_the_expected_grid_row_by_row() {
        Map<LifecycleState, Set<Command>> actual = new LinkedHashMap<>();
        for (LifecycleState state : LifecycleState.values()) {
            actual.put(state, TransitionTable.allowedIn(state));
        }
        assertThat(actual).isEqualTo(EXPECTED);
    }

    @Test
    void allows_agrees_with_the_expected_grid_and_never_allows_create() {
        for (LifecycleState state : LifecycleState.values()) {
            for (Command command : Command.values()) {
                assertThat(TransitionTable.allows(state, command)).as("%s in %s", command, state)
                        .isEqualTo(EXPECTED.get(state).contains(command));
            }
        }
    }

    @Test
    void a_session_reports_the_commands_of_its_row_as_allowed() {
        for (LifecycleState state : LifecycleState.values()) {
            assertThat(inState(state).allowedCommands()).as("allowed in %s", state)
                    .containsExactlyInAnyOrderElementsOf(EXPECTED.get(state));
        }
    }
}
