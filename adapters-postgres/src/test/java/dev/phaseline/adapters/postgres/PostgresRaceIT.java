package dev.phaseline.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.CreateSession;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.application.VersionMismatchException;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** F19: conflicting transitions racing on one session through the application over real PostgreSQL. */
class PostgresRaceIT {

    private static final int THREADS = 8;
    private static final int ROUNDS = 25;

    private static PostgresAdapter adapter;
    private static PhaselineCore core;

    private final Principal alice = Principal.of("alice", "t1", Role.USER);
    private final Principal worker = Principal.of("w", "t1", Role.WORKER);

    @BeforeAll
    static void start() {
        adapter = PostgresAdapter.start(TestDatabases.create().settings().withPoolSize(THREADS));
        core = PhaselineCore.builder().store(adapter.sessionStore()).eventLog(adapter.eventLog())
                .sweepInterval(Duration.ZERO).build();
    }

    @AfterAll
    static void stop() {
        core.close();
        adapter.close();
    }

    private enum Outcome { WON, ILLEGAL, MISMATCH }

    @Test
    void racing_terminal_transitions_have_exactly_one_winner_and_one_terminal_event() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Session session = core.commands().create(alice, new CreateSession(null, "race " + round, null))
                        .session();
                SessionId id = session.id();
                long version = core.commands().execute(alice, id, new SessionCommand.Start()).session().version();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Outcome>> outcomes = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int which = t;
                    outcomes.add(pool.submit(() -> {
                        go.await();
                        try {
                            switch (which % 4) {
                                case 0 -> core.commands().execute(worker, id, new SessionCommand.Complete(null));
                                case 1 -> core.commands().execute(worker, id, new SessionCommand.Fail("boom", null));
                                case 2 -> core.commands().execute(alice, id, new SessionCommand.Kill("race"));
                                default -> core.commands().execute(worker, id, new SessionCommand.Complete(null),
                                        version);
                            }
                            return Outcome.WON;
                        } catch (IllegalTransitionException e) {
                            return Outcome.ILLEGAL;
                        } catch (VersionMismatchException e) {
                            assertThat(which % 4).as("only a command with an expected version").isEqualTo(3);
                            return Outcome.MISMATCH;
                        }
                    }));
                }
                go.countDown();
                List<Outcome> results = new ArrayList<>();
                for (Future<Outcome> outcome : outcomes) {
                    results.add(outcome.get(30, TimeUnit.SECONDS));
                }

                assertThat(results).as("round %d", round).filteredOn(o -> o == Outcome.WON).hasSize(1);
                List<StoredEvent> history = adapter.eventLog().readSession(id, 0, 100);
                assertThat(history).as("round %d", round).filteredOn(StoredEvent::isTerminal).hasSize(1);
                assertThat(history).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L);
                assertThat(adapter.sessionStore().find(id)).get().extracting(Session::version).isEqualTo(3L);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
