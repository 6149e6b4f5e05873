package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.inprocess.InProcessLiveStateCache;
import dev.phaseline.application.port.SessionChange;
import dev.phaseline.application.port.SessionListQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.PauseReason;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commands may start from the live state when it holds exactly the version this node knows was committed, and then
 * skip the read of the store. These tests make that state wrong in the one way the rule allows — another node
 * committed and this node has not heard of it, so its cache and its known version are both behind — and show that
 * the outcome is always the one the stored state gives: no refusal is answered from the live state, and a decision
 * to change the session is only stored if the store is still at that version.
 *
 * <p>Node A and node B share one store; each has its own cache, bus and known versions, and no bus between them.
 */
class CommandsOnLiveStateTest {

    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    private final InProcessLiveStateCache cacheA = new InProcessLiveStateCache();
    private final CoreFixture fixture = CoreFixture.create(builder -> builder.cache(cacheA));
    private final CountingStore countingStore = new CountingStore(fixture.store);
    private final PhaselineCore nodeB = CoreFixture.builder(fixture.store, fixture.clock)
            .cache(new InProcessLiveStateCache()).build();

    @AfterEach
    void closeNodes() {
        nodeB.close();
        fixture.close();
    }

    private SessionCommands nodeA() {
        return fixture.commands();
    }

    @Test
    void a_complete_decided_on_a_running_live_state_fails_on_the_store_when_another_node_paused_for_clarification() {
        SessionId id = fixture.running(ALICE);
        assertThat(cacheA.get(id)).map(Session::status).contains(SessionStatus.RUNNING);
        nodeB.commands().execute(WORKER, id, CoreFixture.askTwoQuestions());

        assertThatThrownBy(() -> nodeA().execute(WORKER, id, new SessionCommand.Complete(null)))
                .isInstanceOfSatisfying(IllegalTransitionException.class,
                        e -> assertThat(e.currentStatus()).isEqualTo(SessionStatus.PAUSED));

        Session stored = fixture.stored(id);
        assertThat(stored.status()).isEqualTo(SessionStatus.PAUSED);
        assertThat(stored.pause().reason()).isEqualTo(PauseReason.CLARIFICATION_NEEDED);
        assertThat(fixture.log(id)).extracting(StoredEvent::type)
                .containsExactly(SessionEvent.CREATED, SessionEvent.STARTED, SessionEvent.CLARIFICATION_REQUESTED);
    }

    @Test
    void an_illegal_transition_on_a_live_state_behind_the_store_is_not_answered_when_the_store_allows_it() {
        SessionId id = fixture.pausedForClarification(ALICE);
        assertThat(cacheA.get(id)).map(Session::status).contains(SessionStatus.PAUSED);
        nodeB.commands().execute(ALICE, id, new SessionCommand.AnswerClarification(Map.of("q1", "a", "q2", "b")));

        CommandResult completed = nodeA().execute(WORKER, id, new SessionCommand.Complete(null));

        assertThat(completed.session().status()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(fixture.stored(id)).isEqualTo(completed.session());
        assertThat(fixture.log(id)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void a_version_mismatch_on_a_live_state_behind_the_store_is_not_answered_when_the_store_holds_the_expected_one() {
        SessionId id = fixture.running(ALICE);
        long seenOnB = nodeB.commands().execute(WORKER, id, CoreFixture.appendEvent(1)).session().version();

        CommandResult result = nodeA().execute(WORKER, id, CoreFixture.appendEvent(2), seenOnB);

        assertThat(result.session().version()).isEqualTo(seenOnB + 1);
        assertThat(fixture.stored(id).version()).isEqualTo(seenOnB + 1);
    }

    @Test
    void answers_to_questions_only_the_store_knows_are_accepted_not_refused_from_the_live_state() {
        SessionId id = fixture.pausedForClarification(ALICE);
        nodeB.commands().execute(ALICE, id, new SessionCommand.AnswerClarification(Map.of("q1", "a", "q2", "b")));
        nodeB.commands().execute(WORKER, id, new SessionCommand.RequestClarification(
                List.of(new Question("q3", "Which region?", true))));

        CommandResult answered = nodeA().execute(ALICE, id,
                new SessionCommand.AnswerClarification(Map.of("q3", "emea")));

        assertThat(answered.session().status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(fixture.stored(id)).isEqualTo(answered.session());
    }

    @Test
    void a_version_mismatch_is_still_answered_when_the_store_differs_from_the_expected_version() {
        SessionId id = fixture.running(ALICE);
        long seenOnA = fixture.stored(id).version();
        nodeB.commands().execute(WORKER, id, CoreFixture.appendEvent(1));

        assertThatThrownBy(() -> nodeA().execute(WORKER, id, CoreFixture.appendEvent(2), seenOnA))
                .isInstanceOf(VersionMismatchException.class);
        assertThat(fixture.stored(id).version()).isEqualTo(seenOnA + 1);
    }

    @Test
    void a_command_on_a_session_this_node_committed_last_does_not_read_the_store_but_a_refusal_does() {
        try (PhaselineCore node = PhaselineCore.builder().store(countingStore).eventLog(fixture.store.eventLog())
                .clock(fixture.clock).sweepInterval(java.time.Duration.ZERO).build()) {
            SessionId id = node.commands().create(ALICE, new CreateSession(null, "t", null)).session().id();
            int before = countingStore.finds.get();

            node.commands().execute(ALICE, id, new SessionCommand.Start());
            node.commands().execute(WORKER, id, CoreFixture.appendEvent(1));
            assertThat(countingStore.finds.get()).isEqualTo(before);

            assertThatThrownBy(() -> node.commands().execute(ALICE, id, new SessionCommand.Start()))
                    .isInstanceOf(IllegalTransitionException.class);
            assertThat(countingStore.finds.get()).isEqualTo(before + 1);
        }
    }

    @Test
    void ending_commands_racing_from_two_nodes_have_exactly_one_winner_and_the_losers_see_its_status()
            throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 100; round++) {
                SessionId id = fixture.running(ALICE);
                nodeB.queries().get(ALICE, id); // both nodes know version 2 and hold it live
                List<Future<Object>> outcomes = race(racers, 6, racer -> {
                    SessionCommands node = racer % 2 == 0 ? nodeA() : nodeB.commands();
                    SessionCommand command = switch (racer % 3) {
                        case 0 -> new SessionCommand.Complete(null);
                        case 1 -> new SessionCommand.Fail("tool_crashed", null);
                        default -> new SessionCommand.Kill("stop");
                    };
                    return node.execute(racer % 3 == 2 ? ALICE : WORKER, id, command);
                });
                List<Object> results = new ArrayList<>();
                for (Future<Object> outcome : outcomes) {
                    results.add(outcome.get(30, TimeUnit.SECONDS));
                }
                Session stored = fixture.stored(id);
                List<Object> winners = results.stream().filter(r -> r instanceof CommandResult).toList();
                assertThat(winners).as("round %d", round).hasSize(1);
                assertThat(stored).isEqualTo(((CommandResult) winners.get(0)).session());
                assertThat(results.stream().filter(r -> !(r instanceof CommandResult))).hasSize(5)
                        .allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(IllegalTransitionException.class,
                                e -> assertThat(e.currentStatus()).isEqualTo(stored.status())));
                assertThat(fixture.log(id)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L);
            }
        } finally {
            racers.shutdownNow();
        }
    }

    @Test
    void appends_racing_from_two_nodes_all_succeed_with_gapless_seqs() throws Exception {
        int perRacer = 30;
        ExecutorService racers = Executors.newFixedThreadPool(4);
        try {
            SessionId id = fixture.running(ALICE);
            nodeB.queries().get(ALICE, id);
            List<Future<Object>> outcomes = race(racers, 4, racer -> {
                SessionCommands node = racer % 2 == 0 ? nodeA() : nodeB.commands();
                CommandResult last = null;
                for (int i = 0; i < perRacer; i++) {
                    last = node.execute(WORKER, id, CoreFixture.appendEvent(racer * 1000 + i));
                }
                return last;
            });
            for (Future<Object> outcome : outcomes) {
                assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(CommandResult.class);
            }
            long last = 2L + 4 * perRacer;
            assertThat(fixture.log(id)).extracting(StoredEvent::seq)
                    .containsExactlyElementsOf(RecordingListener.seqsBetween(1, last));
        } finally {
            racers.shutdownNow();
        }
    }

    private interface Racer {
        Object run(int racer);
    }

    /** Starts the racers together; each future holds the racer's result or the exception it threw. */
    private static List<Future<Object>> race(ExecutorService pool, int count, Racer body) {
        CyclicBarrier start = new CyclicBarrier(count);
        List<Future<Object>> futures = new ArrayList<>();
        for (int racer = 0; racer < count; racer++) {
            int r = racer;
            futures.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                try {
                    return body.run(r);
                } catch (RuntimeException e) {
                    return e;
                }
            }));
        }
        return futures;
    }

    /** A store that counts reads by id. */
    private static final class CountingStore implements SessionStore {
        final AtomicInteger finds = new AtomicInteger();
        private final SessionStore delegate;

        CountingStore(SessionStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<Session> find(SessionId id) {
            finds.incrementAndGet();
            return delegate.find(id);
        }

        @Override
        public List<StoredEvent> commit(SessionChange change) {
            return delegate.commit(change);
        }

        @Override
        public boolean recordHeartbeat(SessionId id, Instant at) {
            return delegate.recordHeartbeat(id, at);
        }

        @Override
        public List<Session> list(SessionListQuery query) {
            return delegate.list(query);
        }

        @Override
        public List<Session> findStale(Instant cutoff, int limit) {
            return delegate.findStale(cutoff, limit);
        }

        @Override
        public Map<String, Map<SessionStatus, Long>> countByTenantAndStatus() {
            return delegate.countByTenantAndStatus();
        }
    }
}
