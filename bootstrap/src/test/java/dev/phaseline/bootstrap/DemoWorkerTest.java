package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.phaseline.application.CreateSession;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.application.StreamEnd;
import dev.phaseline.application.Subscription;
import dev.phaseline.application.SubscriptionListener;
import dev.phaseline.application.memory.InMemorySessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.AnswersMissingException;
import dev.phaseline.domain.AnswersRequiredException;
import dev.phaseline.domain.Failure;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.PauseReason;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.PhaseOrder;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DemoWorkerTest {

    private static final Principal ALICE = Principal.of("alice", "acme", Role.USER);
    private static final Principal WORKER = Principal.of("some-worker", "acme", Role.WORKER);
    private static final Principal ADMIN = Principal.of("root", "acme", Role.ADMIN);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final PhaseOrder DEMO_ORDER = PhaseOrder.of(DemoWorker.DECOMPOSITION, DemoWorker.IDENTIFY_GAPS,
            DemoWorker.PERSONA_SELECTION, DemoWorker.DELIBERATION, DemoWorker.SYNTHESIS);

    private PhaselineCore core;
    private DemoWorker worker;
    private final List<Subscription> subscriptions = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        subscriptions.forEach(Subscription::close);
        if (worker != null) {
            worker.close();
        }
        if (core != null) {
            core.close();
        }
    }

    // --- the golden path ------------------------------------------------------------------------------------------

    @Test
    void a_demo_session_asks_for_clarification_then_deliberates_and_completes_once_answered() {
        startCore(builder -> {
        });
        startWorker();
        SessionId id = create("demo", input(Map.of("clarify", JsonValue.of(true), "stepDelayMs", JsonValue.of(2))));
        Stream stream = subscribe(id);
        start(id);

        Session paused = awaitSession(id, s -> s.status() == SessionStatus.PAUSED);
        assertThat(paused.pause().reason()).isEqualTo(PauseReason.CLARIFICATION_NEEDED);
        assertThat(paused.pause().questions()).extracting(Question::id).containsExactly("q1", "q2");
        assertThat(paused.pause().questions()).allMatch(Question::required);
        assertThat(paused.phase()).isEqualTo(DemoWorker.IDENTIFY_GAPS);
        awaitNoRun();
        // F1: a worker that returns now must not end a session that waits for its owner.
        assertThatThrownBy(() -> core.commands().execute(WORKER, id, new SessionCommand.Complete(null)))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> core.commands().execute(ALICE, id, new SessionCommand.Resume()))
                .isInstanceOf(AnswersRequiredException.class);
        assertThatThrownBy(() -> core.commands().execute(ALICE, id,
                new SessionCommand.AnswerClarification(Map.of("q1", "the board"))))
                .isInstanceOf(AnswersMissingException.class);
        assertThat(get(id).lastEventSeq()).isEqualTo(paused.lastEventSeq());

        core.commands().execute(ALICE, id,
                new SessionCommand.AnswerClarification(Map.of("q1", "the board", "q2", "risk")));

        StreamEnd end = stream.awaitEnd();
        assertThat(end).isEqualTo(new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.COMPLETED));
        List<StoredEvent> events = stream.events();
        assertThat(events).extracting(StoredEvent::seq)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).mapToObj(Long::valueOf).toList());
        List<String> expected = new ArrayList<>(List.of(SessionEvent.CREATED, SessionEvent.STARTED,
                SessionEvent.PHASE_CHANGED, SessionEvent.PHASE_CHANGED, SessionEvent.CLARIFICATION_REQUESTED,
                SessionEvent.CLARIFICATION_ANSWERED, SessionEvent.PHASE_CHANGED, SessionEvent.PHASE_CHANGED));
        for (int round = 1; round <= 2; round++) {
            expected.addAll(DemoWorker.ROUND_EVENTS);
            expected.add(SessionEvent.PROGRESS);
        }
        expected.addAll(List.of(SessionEvent.PHASE_CHANGED, SessionEvent.COMPLETED));
        assertThat(events).extracting(StoredEvent::type).containsExactlyElementsOf(expected);
        assertThat(phasesOf(events)).containsExactly("decomposition", "identify_gaps", "persona_selection",
                "deliberation", "synthesis");
        assertRoundsInOrder(events, 2);

        Session done = get(id);
        assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(done.progress().round()).isEqualTo(2);
        assertThat(done.progress().percent()).isEqualTo(100);
        assertThat(done.progress().costUsd()).isEqualByComparingTo(DemoWorker.COST_PER_ROUND.multiply(
                BigDecimal.valueOf(2)));
        assertThat(done.result().get("synthesis")).isInstanceOf(JsonValue.JsonString.class);
        assertThat(done.result().get("recommendation")).isInstanceOf(JsonValue.JsonString.class);
        awaitNoRun();
    }

    @Test
    void without_clarification_it_runs_the_rounds_asked_for_and_never_pauses() {
        startCore(builder -> {
        });
        startWorker();
        SessionId id = create("demo", input(Map.of("clarify", JsonValue.of(false), "rounds", JsonValue.of(3),
                "stepDelayMs", JsonValue.of(1))));
        Stream stream = subscribe(id);
        start(id);

        assertThat(stream.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
        List<StoredEvent> events = stream.events();
        assertThat(events).extracting(StoredEvent::type)
                .doesNotContain(SessionEvent.CLARIFICATION_REQUESTED, SessionEvent.PAUSED);
        assertRoundsInOrder(events, 3);
        assertThat(events).filteredOn(event -> event.type().equals(SessionEvent.PROGRESS))
                .extracting(event -> event.data().get("percent"))
                .containsExactly(JsonValue.of(33), JsonValue.of(66), JsonValue.of(100));
        assertThat(get(id).progress().round()).isEqualTo(3);
        assertThat(get(id).result().members()).containsKeys("synthesis", "recommendation");
    }

    // --- kill and pause -------------------------------------------------------------------------------------------

    @Test
    void a_kill_mid_run_stops_the_worker() {
        startCore(builder -> {
        });
        startWorker();
        SessionId id = create("demo", input(Map.of("rounds", JsonValue.of(10), "stepDelayMs", JsonValue.of(10))));
        Stream stream = subscribe(id);
        start(id);
        stream.awaitType("agent_thinking");

        core.commands().execute(ALICE, id, new SessionCommand.Kill("changed my mind"));

        assertThat(stream.awaitEnd().status()).isEqualTo(SessionStatus.KILLED);
        awaitNoRun();
        long seqAtKill = get(id).lastEventSeq();
        await().pollDelay(Duration.ofMillis(200)).atMost(PATIENCE).until(() -> true);
        List<StoredEvent> history = core.queries().history(ALICE, id, 0, 500).items();
        assertThat(history.get(history.size() - 1).type()).isEqualTo(SessionEvent.KILLED);
        assertThat(get(id).lastEventSeq()).isEqualTo(seqAtKill);
    }

    @Test
    void a_pause_mid_run_stops_the_worker_and_a_resume_continues_to_completion() {
        startCore(builder -> {
        });
        startWorker();
        SessionId id = create("demo", input(Map.of("rounds", JsonValue.of(10), "stepDelayMs", JsonValue.of(10))));
        Stream stream = subscribe(id);
        start(id);
        stream.awaitType("tool_executing");

        core.commands().execute(ALICE, id, new SessionCommand.Pause("coffee"));

        awaitNoRun();
        Session paused = get(id);
        assertThat(paused.status()).isEqualTo(SessionStatus.PAUSED);
        assertThat(paused.pause().reason()).isEqualTo(PauseReason.REQUESTED);
        await().pollDelay(Duration.ofMillis(200)).atMost(PATIENCE).until(() -> true);
        assertThat(get(id).lastEventSeq()).as("nothing written after the pause").isEqualTo(paused.lastEventSeq());
        List<StoredEvent> history = core.queries().history(ALICE, id, 0, 500).items();
        assertThat(history.get(history.size() - 1).type()).isEqualTo(SessionEvent.PAUSED);

        core.commands().execute(ALICE, id, new SessionCommand.Resume());

        assertThat(stream.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
        Session done = get(id);
        assertThat(done.progress().round()).isEqualTo(10);
        assertThat(done.result().members()).containsKeys("synthesis", "recommendation");
        List<StoredEvent> afterResume = afterType(stream.events(), SessionEvent.RESUMED);
        assertThat(afterResume).extracting(StoredEvent::type).doesNotContain(SessionEvent.PAUSED);
        assertThat(afterResume.get(afterResume.size() - 1).type()).isEqualTo(SessionEvent.COMPLETED);
    }

    // --- which sessions -------------------------------------------------------------------------------------------

    @Test
    void sessions_of_other_workflows_are_left_alone() {
        startCore(builder -> {
        });
        startWorker();
        SessionId other = create("transcription", input(Map.of("stepDelayMs", JsonValue.of(0))));
        start(other);
        SessionId demo = create("demo", input(Map.of("stepDelayMs", JsonValue.of(0))));
        Stream stream = subscribe(demo);
        start(demo);

        assertThat(stream.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
        awaitNoRun();
        Session untouched = get(other);
        assertThat(untouched.status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(untouched.phase()).isNull();
        assertThat(untouched.lastEventSeq()).isEqualTo(2);
    }

    @Test
    void demo_sessions_already_running_when_it_starts_are_picked_up_after_their_current_phase() {
        startCore(builder -> {
        });
        SessionId fresh = create("demo", input(Map.of("stepDelayMs", JsonValue.of(0))));
        start(fresh);
        SessionId midway = create("demo", input(Map.of("rounds", JsonValue.of(3), "stepDelayMs", JsonValue.of(0))));
        start(midway);
        core.commands().execute(ADMIN, midway, new SessionCommand.ChangePhase(DemoWorker.DELIBERATION));
        core.commands().execute(ADMIN, midway, new SessionCommand.RecordProgress(1, 33, null));
        Stream freshStream = subscribe(fresh);
        Stream midwayStream = subscribe(midway);

        startWorker();

        assertThat(freshStream.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(midwayStream.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
        List<StoredEvent> resumed = midwayStream.events();
        assertThat(phasesOf(resumed)).containsExactly("deliberation", "synthesis");
        assertThat(resumed).filteredOn(event -> event.type().equals("agent_started"))
                .extracting(event -> event.data().get("round")).containsExactly(JsonValue.of(2), JsonValue.of(3));
        assertThat(get(midway).progress().round()).isEqualTo(3);
    }

    @Test
    void after_close_it_works_on_nothing() {
        startCore(builder -> {
        });
        startWorker();
        worker.close();
        SessionId id = create("demo", input(Map.of("stepDelayMs", JsonValue.of(0))));
        start(id);

        await().pollDelay(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> true);
        assertThat(get(id).phase()).isNull();
        assertThat(get(id).lastEventSeq()).isEqualTo(2);
        assertThat(worker.activeRuns()).isZero();
    }

    @Test
    void on_a_scheduler_of_the_callers_it_works_and_leaves_the_scheduler_running_when_closed() throws Exception {
        startCore(builder -> {
        });
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        try {
            worker = new DemoWorker(core, scheduler);
            worker.start();
            SessionId id = create("demo", input(Map.of("stepDelayMs", JsonValue.of(0))));
            Stream stream = subscribe(id);
            start(id);

            assertThat(stream.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
            worker.close();
            assertThat(scheduler.isShutdown()).isFalse();
        } finally {
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    // --- heartbeats -----------------------------------------------------------------------------------------------

    @Test
    void heartbeats_during_long_step_delays_keep_the_session_from_being_swept() {
        startCore(builder -> builder.heartbeatTimeout(Duration.ofMillis(1_000)).sweepInterval(Duration.ofMillis(50)));
        worker = new DemoWorker(core, null, Duration.ofMillis(100));
        worker.start();
        // Each wait is half as long again as the sweeper allows a session to be silent.
        SessionId id = create("demo", input(Map.of("stepDelayMs", JsonValue.of(1_500))));
        start(id);
        Instant startedAt = get(id).lastHeartbeatAt();

        Session later = awaitSession(id, s -> DemoWorker.PERSONA_SELECTION.equals(s.phase())
                || s.status() != SessionStatus.RUNNING);

        assertThat(later.status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(later.failure()).isNull();
        assertThat(later.lastHeartbeatAt()).isAfter(startedAt);
        core.commands().execute(ALICE, id, new SessionCommand.Kill(null));
    }

    @Test
    void without_heartbeats_during_the_delays_the_same_session_would_be_swept() {
        startCore(builder -> builder.heartbeatTimeout(Duration.ofMillis(1_000)).sweepInterval(Duration.ofMillis(50)));
        // Heartbeats only at each step: the control for the test above.
        worker = new DemoWorker(core, null, Duration.ofSeconds(10));
        worker.start();
        SessionId id = create("demo", input(Map.of("stepDelayMs", JsonValue.of(1_500))));
        start(id);

        Session later = awaitSession(id, s -> s.status() != SessionStatus.RUNNING);

        assertThat(later.status()).isEqualTo(SessionStatus.FAILED);
        assertThat(later.failure().code()).isEqualTo(Failure.WORKER_LOST);
    }

    // --- the input ------------------------------------------------------------------------------------------------

    @Test
    void rounds_default_to_two_and_are_clamped_to_one_to_ten() {
        assertThat(DemoWorker.rounds(input(Map.of()))).isEqualTo(2);
        assertThat(DemoWorker.rounds(input(Map.of("rounds", JsonValue.of("three"))))).isEqualTo(2);
        assertThat(DemoWorker.rounds(input(Map.of("rounds", JsonValue.NULL)))).isEqualTo(2);
        assertThat(DemoWorker.rounds(input(Map.of("rounds", JsonValue.of(0))))).isEqualTo(1);
        assertThat(DemoWorker.rounds(input(Map.of("rounds", JsonValue.of(-4))))).isEqualTo(1);
        assertThat(DemoWorker.rounds(input(Map.of("rounds", JsonValue.of(7))))).isEqualTo(7);
        assertThat(DemoWorker.rounds(input(Map.of("rounds", JsonValue.of(new BigDecimal("2.9")))))).isEqualTo(2);
        assertThat(DemoWorker.rounds(input(Map.of("rounds", JsonValue.of(new BigDecimal("1e30")))))).isEqualTo(10);
    }

    @Test
    void the_step_delay_defaults_to_200_ms_and_is_clamped_to_5_s() {
        assertThat(DemoWorker.stepDelayMs(input(Map.of()))).isEqualTo(200);
        assertThat(DemoWorker.stepDelayMs(input(Map.of("stepDelayMs", JsonValue.of(true))))).isEqualTo(200);
        assertThat(DemoWorker.stepDelayMs(input(Map.of("stepDelayMs", JsonValue.of(-1))))).isZero();
        assertThat(DemoWorker.stepDelayMs(input(Map.of("stepDelayMs", JsonValue.of(750))))).isEqualTo(750);
        assertThat(DemoWorker.stepDelayMs(input(Map.of("stepDelayMs", JsonValue.of(60_000))))).isEqualTo(5_000);
    }

    @Test
    void only_the_json_literal_true_asks_for_clarification() {
        assertThat(DemoWorker.clarify(input(Map.of("clarify", JsonValue.of(true))))).isTrue();
        assertThat(DemoWorker.clarify(input(Map.of("clarify", JsonValue.of(false))))).isFalse();
        assertThat(DemoWorker.clarify(input(Map.of("clarify", JsonValue.of("true"))))).isFalse();
        assertThat(DemoWorker.clarify(input(Map.of()))).isFalse();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private void startCore(Consumer<PhaselineCore.Builder> tuning) {
        InMemorySessionStore store = new InMemorySessionStore();
        PhaselineCore.Builder builder = PhaselineCore.builder().store(store).eventLog(store.eventLog())
                .phaseOrder(DemoWorker.WORKFLOW, DEMO_ORDER).sweepInterval(Duration.ZERO);
        tuning.accept(builder);
        core = builder.build();
    }

    private void startWorker() {
        worker = new DemoWorker(core);
        worker.start();
    }

    private SessionId create(String workflow, JsonValue.JsonObject input) {
        return core.commands().create(ALICE, new CreateSession(workflow, "a test", input)).session().id();
    }

    private void start(SessionId id) {
        core.commands().execute(ALICE, id, new SessionCommand.Start());
    }

    private Session get(SessionId id) {
        return core.queries().get(ALICE, id);
    }

    private Session awaitSession(SessionId id, Predicate<Session> condition) {
        AtomicReference<Session> seen = new AtomicReference<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> {
            seen.set(get(id));
            return condition.test(seen.get());
        });
        return seen.get();
    }

    private void awaitNoRun() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> worker.activeRuns() == 0);
    }

    private static JsonValue.JsonObject input(Map<String, JsonValue> members) {
        return JsonValue.object(new LinkedHashMap<>(members));
    }

    private static List<String> phasesOf(List<StoredEvent> events) {
        return events.stream().filter(event -> event.type().equals(SessionEvent.PHASE_CHANGED))
                .map(event -> ((JsonValue.JsonString) event.data().get("to")).value()).toList();
    }

    private static List<StoredEvent> afterType(List<StoredEvent> events, String type) {
        int index = events.stream().map(StoredEvent::type).toList().lastIndexOf(type);
        return events.subList(index + 1, events.size());
    }

    /** F10: each round's five agent events arrive together, in order, with the same round and agent, then progress. */
    private static void assertRoundsInOrder(List<StoredEvent> events, int rounds) {
        List<StoredEvent> ofRounds = events.stream()
                .filter(event -> DemoWorker.ROUND_EVENTS.contains(event.type())
                        || event.type().equals(SessionEvent.PROGRESS))
                .toList();
        assertThat(ofRounds).hasSize(rounds * (DemoWorker.ROUND_EVENTS.size() + 1));
        for (int round = 1; round <= rounds; round++) {
            List<StoredEvent> one = ofRounds.subList((round - 1) * 6, round * 6);
            assertThat(one.get(0).seq() + 5).as("round %d is contiguous", round).isEqualTo(one.get(5).seq());
            assertThat(one.subList(0, 5)).extracting(StoredEvent::type)
                    .containsExactlyElementsOf(DemoWorker.ROUND_EVENTS);
            JsonValue agent = one.get(0).data().get("agent");
            assertThat(agent).isInstanceOf(JsonValue.JsonString.class);
            for (StoredEvent event : one.subList(0, 5)) {
                assertThat(event.data().get("round")).isEqualTo(JsonValue.of(round));
                assertThat(event.data().get("agent")).isEqualTo(agent);
            }
            assertThat(one.get(5).type()).isEqualTo(SessionEvent.PROGRESS);
            assertThat(one.get(5).data().get("round")).isEqualTo(JsonValue.of(round));
        }
    }

    private Stream subscribe(SessionId id) {
        Stream stream = new Stream();
        subscriptions.add(core.subscriptions().subscribe(ALICE, id, 0, stream));
        return stream;
    }

    /** Collects what a session subscription delivers. */
    private static final class Stream implements SubscriptionListener {
        private final List<StoredEvent> events = new CopyOnWriteArrayList<>();
        private final AtomicReference<StreamEnd> end = new AtomicReference<>();

        @Override
        public void onEvent(StoredEvent event) {
            events.add(event);
        }

        @Override
        public void onEnd(StreamEnd streamEnd) {
            end.set(streamEnd);
        }

        List<StoredEvent> events() {
            return List.copyOf(events);
        }

        StreamEnd awaitEnd() {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> end.get() != null);
            return end.get();
        }

        void awaitType(String type) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .until(() -> events.stream().anyMatch(event -> event.type().equals(type)));
        }
    }
}
