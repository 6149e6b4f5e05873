package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Commands that race on one session: conflicting ones have exactly one winner, independent ones all succeed. */
class CommandRaceTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 200;
    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    private static ExecutorService racers;

    private final CoreFixture fixture = CoreFixture.create();

    @BeforeAll
    static void startRacers() {
        racers = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stopRacers() {
        racers.shutdownNow();
    }

    @AfterEach
    void closeCore() {
        fixture.close();
    }

    /** What one racer got: the result, or the exception. */
    private record Outcome(CommandResult result, RuntimeException error) {
    }

    @Test
    void of_several_starts_of_a_created_session_exactly_one_wins_and_the_others_are_illegal() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            SessionId id = fixture.created(ALICE);

            List<Outcome> outcomes = race(racer -> () -> fixture.commands().execute(ALICE, id,
                    new SessionCommand.Start()));

            assertOneWinnerOthersIllegal(outcomes, round);
            assertThat(fixture.log(id)).extracting(StoredEvent::type)
                    .containsExactly(SessionEvent.CREATED, SessionEvent.STARTED);
            assertThat(fixture.stored(id).status()).isEqualTo(SessionStatus.RUNNING);
        }
    }

    @Test
    void of_complete_fail_and_kill_racing_on_a_running_session_exactly_one_ends_it() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            SessionId id = fixture.running(ALICE);

            List<Outcome> outcomes = race(racer -> () -> fixture.commands().execute(
                    racer % 3 == 2 ? ALICE : WORKER, id, ending(racer)));

            Outcome winner = assertOneWinnerOthersIllegal(outcomes, round);
            List<StoredEvent> log = fixture.log(id);
            assertThat(log.stream().filter(StoredEvent::isTerminal)).as("round %d", round).hasSize(1);
            assertThat(log).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L);
            assertThat(fixture.stored(id)).isEqualTo(winner.result().session());
            for (Outcome loser : outcomes) {
                if (loser != winner) {
                    assertThat(((IllegalTransitionException) loser.error()).currentStatus())
                            .isEqualTo(winner.result().session().status());
                }
            }
        }
    }

    @Test
    void with_an_expected_version_the_losers_of_a_race_get_version_mismatch() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            SessionId id = fixture.running(ALICE);
            long seen = fixture.stored(id).version();

            List<Outcome> outcomes = race(racer -> () -> fixture.commands().execute(
                    racer % 3 == 2 ? ALICE : WORKER, id, ending(racer), seen));

            assertThat(outcomes.stream().filter(o -> o.error() == null)).as("round %d", round).hasSize(1);
            assertThat(outcomes.stream().filter(o -> o.error() != null))
                    .allSatisfy(o -> assertThat(o.error()).isInstanceOf(VersionMismatchException.class));
            assertThat(fixture.log(id).stream().filter(StoredEvent::isTerminal)).hasSize(1);
        }
    }

    @Test
    void independent_commands_racing_on_one_session_all_succeed_with_gapless_seqs() throws Exception {
        int perRacer = 50;
        for (int round = 0; round < 5; round++) {
            SessionId id = fixture.running(ALICE);

            List<Outcome> outcomes = race(racer -> () -> {
                CommandResult last = null;
                for (int i = 0; i < perRacer; i++) {
                    last = fixture.commands().execute(WORKER, id, CoreFixture.appendEvent(racer * 1000 + i));
                }
                return last;
            });

            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            long last = 2L + THREADS * perRacer;
            assertThat(fixture.log(id)).extracting(StoredEvent::seq)
                    .containsExactlyElementsOf(RecordingListener.seqsBetween(1, last));
            assertThat(fixture.stored(id).version()).isEqualTo(last);
        }
    }

    private static SessionCommand ending(int racer) {
        return switch (racer % 3) {
            case 0 -> new SessionCommand.Complete(null);
            case 1 -> new SessionCommand.Fail("tool_crashed", null);
            default -> new SessionCommand.Kill("stop");
        };
    }

    private static Outcome assertOneWinnerOthersIllegal(List<Outcome> outcomes, int round) {
        List<Outcome> winners = outcomes.stream().filter(o -> o.error() == null).toList();
        assertThat(winners).as("winners in round %d", round).hasSize(1);
        assertThat(outcomes.stream().filter(o -> o.error() != null))
                .as("losers in round %d", round)
                .hasSize(THREADS - 1)
                .allSatisfy(o -> assertThat(o.error()).isInstanceOf(IllegalTransitionException.class));
        return winners.get(0);
    }

    /** Starts every racer at once, behind a barrier, and collects what each got. */
    private static List<Outcome> race(IntFunction<Supplier<CommandResult>> racerBody)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (int racer = 0; racer < THREADS; racer++) {
            Supplier<CommandResult> body = racerBody.apply(racer);
            futures.add(racers.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                try {
                    return new Outcome(body.get(), null);
                } catch (RuntimeException e) {
                    return new Outcome(null, e);
                }
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> future : futures) {
            outcomes.add(future.get(30, TimeUnit.SECONDS));
        }
        return outcomes;
    }
}
