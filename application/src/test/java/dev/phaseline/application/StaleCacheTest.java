package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.inprocess.InProcessLiveStateCache;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.PauseReason;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commands never decide on the cache, and reads answer from the store: an entry that lags behind (a lost write) or
 * was set by hand changes no outcome. A lagging entry is repaired by the next read.
 */
class StaleCacheTest {

    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    private final InProcessLiveStateCache cache = new InProcessLiveStateCache();
    private final CoreFixture fixture = CoreFixture.create(builder -> builder.cache(cache));

    @AfterEach
    void closeCore() {
        fixture.close();
    }

    /** A session paused for clarification whose cache entry still says it runs, as after a lost cache write. */
    private SessionId pausedButCachedAsRunning() {
        SessionId id = fixture.running(ALICE);
        Session running = fixture.stored(id);
        fixture.commands().execute(WORKER, id, CoreFixture.askTwoQuestions());
        cache.remove(id);
        cache.put(running);
        return id;
    }

    @Test
    void reads_answer_the_newer_stored_state_and_repair_a_lagging_cache_entry() {
        SessionId id = pausedButCachedAsRunning();

        Session read = fixture.queries().get(ALICE, id);

        assertThat(read).isEqualTo(fixture.stored(id));
        assertThat(read.status()).isEqualTo(SessionStatus.PAUSED);
        assertThat(read.pause().reason()).isEqualTo(PauseReason.CLARIFICATION_NEEDED);
        assertThat(cache.get(id)).contains(fixture.stored(id));
    }

    /**
     * F17 across nodes: while the bus was down, another node committed and could not write the shared cache. After the
     * bus resyncs, this node no longer serves the entry it had known, but the store's newer state.
     */
    @Test
    void after_a_bus_resync_an_entry_from_before_the_gap_is_not_served() {
        UnreliableEventBus bus = new UnreliableEventBus(UnreliableEventBus.Fault.LOSES_EVERYTHING);
        InProcessLiveStateCache shared = new InProcessLiveStateCache();
        CoreFixture nodeB = CoreFixture.create(builder -> builder.cache(shared).bus(bus));
        try (PhaselineCore nodeA = CoreFixture.builder(nodeB.store, nodeB.clock)
                .cache(new InProcessLiveStateCache()).bus(bus).build()) {
            SessionId id = nodeB.running(ALICE);
            assertThat(nodeB.queries().get(ALICE, id).version()).isEqualTo(2);
            assertThat(shared.get(id)).hasValueSatisfying(cached -> assertThat(cached.version()).isEqualTo(2));

            long committed = nodeA.commands().execute(WORKER, id, CoreFixture.appendEvent(1)).session().version();
            bus.resync();

            assertThat(committed).isEqualTo(3);
            assertThat(nodeB.queries().get(ALICE, id).version()).isEqualTo(3);
        } finally {
            nodeB.close();
        }
    }

    @Test
    void commands_decide_on_the_stored_state_not_on_a_lagging_cache_entry() {
        SessionId id = pausedButCachedAsRunning();

        assertThatThrownBy(() -> fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null)))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(fixture.stored(id).status()).isEqualTo(SessionStatus.PAUSED);

        CommandResult answered = fixture.commands().execute(ALICE, id,
                new SessionCommand.AnswerClarification(Map.of("q1", "a", "q2", "b")));
        assertThat(answered.session().status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(cache.get(id)).contains(answered.session());
    }

    @Test
    void a_stream_of_a_paused_session_opens_whatever_the_cache_says() {
        SessionId id = pausedButCachedAsRunning();
        RecordingListener listener = new RecordingListener();

        fixture.subscriptions().subscribe(ALICE, id, 0, listener);

        listener.awaitCount(3);
        assertThat(listener.end()).isNull();
        assertThat(fixture.queries().history(ALICE, id, 0, 10).items()).hasSize(3);
    }

    @Test
    void a_forged_entry_claiming_a_newer_version_changes_no_read_and_no_command() {
        SessionId paused = fixture.running(ALICE);
        Session runningState = fixture.stored(paused);
        fixture.commands().execute(WORKER, paused, CoreFixture.askTwoQuestions());
        SessionId running = fixture.running(ALICE);
        Session finishedElsewhere = fixture.commands().execute(WORKER, fixture.running(ALICE),
                new SessionCommand.Complete(null)).session();
        cache.remove(paused);
        cache.remove(running);
        cache.put(withIdAndVersion(runningState, paused, 99));
        cache.put(withIdAndVersion(finishedElsewhere, running, 99));

        assertThat(fixture.queries().get(ALICE, paused)).isEqualTo(fixture.stored(paused));
        assertThat(fixture.queries().get(ALICE, running).status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(fixture.queries().list(ALICE, ListSessions.firstPage()).items())
                .filteredOn(session -> session.id().equals(paused))
                .singleElement().extracting(Session::version).isEqualTo(3L);
        assertThatThrownBy(() -> fixture.commands().execute(WORKER, paused, new SessionCommand.Complete(null)))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(fixture.commands().execute(WORKER, running, CoreFixture.appendEvent(1)).session().version())
                .isEqualTo(3);
    }

    private static Session withIdAndVersion(Session s, SessionId id, long version) {
        return new Session(id, s.tenantId(), s.ownerId(), s.workflow(), s.title(), s.status(), s.phase(), s.pause(),
                s.progress(), s.input(), s.result(), s.failure(), s.answers(), version, version, s.createdAt(),
                s.updatedAt(), s.startedAt(), s.endedAt(), s.lastHeartbeatAt());
    }
}
