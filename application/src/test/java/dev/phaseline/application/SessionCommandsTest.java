package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.ADMIN;
import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.phaseline.application.memory.InMemorySessionStore;
import dev.phaseline.application.port.StoreUnavailableException;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.AnswersMissingException;
import dev.phaseline.domain.AnswersRequiredException;
import dev.phaseline.domain.Command;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.PauseReason;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.PhaseOrder;
import dev.phaseline.domain.PhaseOrderViolationException;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import dev.phaseline.domain.ValidationException;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionCommandsTest {

    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    private final CoreFixture fixture = CoreFixture.create(builder -> builder.phaseOrder("demo",
            PhaseOrder.of(new Phase("decomposition"), new Phase("identify_gaps"), new Phase("synthesis"))));

    @AfterEach
    void closeCore() {
        fixture.close();
    }

    @Test
    void complete_is_illegal_while_paused_for_clarification_and_changes_nothing() {
        SessionId id = fixture.running(ALICE);
        fixture.commands().execute(WORKER, id, CoreFixture.askTwoQuestions());
        Session paused = fixture.stored(id);
        List<StoredEvent> logBefore = fixture.wholeLog();

        assertThatThrownBy(() -> fixture.commands().execute(WORKER, id,
                new SessionCommand.Complete(JsonValue.object(Map.of("answer", JsonValue.of("42"))))))
                .asInstanceOf(type(IllegalTransitionException.class))
                .satisfies(e -> {
                    assertThat(e.currentStatus()).isEqualTo(SessionStatus.PAUSED);
                    assertThat(e.attempted()).isEqualTo(Command.COMPLETE);
                    assertThat(e.allowed()).containsExactlyInAnyOrderElementsOf(EnumSet.of(
                            Command.ANSWER_CLARIFICATION, Command.FAIL, Command.KILL, Command.DELETE,
                            Command.APPEND_EVENT));
                    assertThat(e.code()).isEqualTo("illegal_transition");
                });

        Session after = fixture.stored(id);
        assertThat(after).isEqualTo(paused);
        assertThat(after.status()).isEqualTo(SessionStatus.PAUSED);
        assertThat(after.pause().reason()).isEqualTo(PauseReason.CLARIFICATION_NEEDED);
        assertThat(after.version()).isEqualTo(3);
        assertThat(after.result()).isNull();
        assertThat(fixture.wholeLog()).isEqualTo(logBefore);
        assertThat(fixture.queries().get(ALICE, id)).isEqualTo(paused);
    }

    @Test
    void complete_with_the_current_expected_version_is_still_illegal_while_paused_for_clarification() {
        SessionId id = fixture.pausedForClarification(ALICE);

        assertThatThrownBy(() -> fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null), 3))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(fixture.stored(id).status()).isEqualTo(SessionStatus.PAUSED);
        assertThat(fixture.log(id)).hasSize(3);
    }

    @Test
    void answering_every_required_question_runs_the_session_again_so_the_worker_may_complete_it() {
        SessionId id = fixture.pausedForClarification(ALICE);

        assertThatThrownBy(() -> fixture.commands().execute(ALICE, id,
                new SessionCommand.AnswerClarification(Map.of("q1", "EU"))))
                .isInstanceOf(AnswersMissingException.class);
        fixture.commands().execute(ALICE, id,
                new SessionCommand.AnswerClarification(Map.of("q1", "EU", "q2", "small")));
        CommandResult completed = fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null));

        assertThat(completed.session().status()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(completed.session().answers()).containsEntry("q1", "EU").containsEntry("q2", "small");
        assertThat(fixture.log(id)).extracting(StoredEvent::type).containsExactly(SessionEvent.CREATED,
                SessionEvent.STARTED, SessionEvent.CLARIFICATION_REQUESTED, SessionEvent.CLARIFICATION_ANSWERED,
                SessionEvent.COMPLETED);
    }

    @Test
    void resume_of_a_session_waiting_for_answers_asks_for_the_answers_and_changes_nothing() {
        SessionId id = fixture.pausedForClarification(ALICE);

        assertThatThrownBy(() -> fixture.commands().execute(ALICE, id, new SessionCommand.Resume()))
                .isInstanceOf(AnswersRequiredException.class);
        assertThat(fixture.stored(id).version()).isEqualTo(3);
    }

    @Test
    void every_command_stores_one_event_and_keeps_version_equal_to_the_last_seq() {
        SessionId id = fixture.created(ALICE);
        List<SessionCommand> script = List.of(
                new SessionCommand.Start(),
                new SessionCommand.ChangePhase(new Phase("research")),
                new SessionCommand.RecordProgress(1, 10, new BigDecimal("0.25")),
                CoreFixture.appendEvent(1),
                new SessionCommand.Pause(null),
                new SessionCommand.Resume(),
                CoreFixture.askTwoQuestions(),
                new SessionCommand.AnswerClarification(Map.of("q1", "a", "q2", "b")),
                new SessionCommand.Complete(null));

        long expectedSeq = 1;
        for (SessionCommand command : script) {
            CommandResult result = fixture.admin(id, command);
            expectedSeq++;
            assertThat(result.events()).extracting(StoredEvent::seq).containsExactly(expectedSeq);
            assertThat(result.session().version()).isEqualTo(expectedSeq);
            assertThat(fixture.stored(id)).isEqualTo(result.session());
        }
        assertThat(fixture.log(id)).extracting(StoredEvent::seq)
                .containsExactlyElementsOf(RecordingListener.seqsBetween(1, expectedSeq));
    }

    @Test
    void deleting_an_active_session_kills_it_first_in_one_commit() {
        SessionId id = fixture.running(ALICE);

        CommandResult deleted = fixture.commands().execute(ALICE, id, new SessionCommand.Delete());

        assertThat(deleted.events()).extracting(StoredEvent::type)
                .containsExactly(SessionEvent.KILLED, SessionEvent.DELETED);
        assertThat(deleted.events()).extracting(StoredEvent::seq).containsExactly(3L, 4L);
        assertThat(fixture.queries().get(ALICE, id).status()).isEqualTo(SessionStatus.DELETED);
        assertThatThrownBy(() -> fixture.commands().execute(ALICE, id, new SessionCommand.Delete()))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void a_declared_phase_order_is_enforced_through_the_command_api() {
        SessionId id = fixture.created(ALICE, "demo");
        fixture.admin(id, new SessionCommand.Start());

        fixture.commands().execute(WORKER, id, new SessionCommand.ChangePhase(new Phase("identify_gaps")));
        long version = fixture.stored(id).version();

        for (String refused : List.of("decomposition", "identify_gaps", "undeclared")) {
            assertThatThrownBy(() -> fixture.commands().execute(WORKER, id,
                    new SessionCommand.ChangePhase(new Phase(refused))))
                    .as("phase %s after identify_gaps", refused)
                    .isInstanceOf(PhaseOrderViolationException.class)
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("synthesis");
        }
        assertThat(fixture.stored(id).phase()).isEqualTo(new Phase("identify_gaps"));
        assertThat(fixture.stored(id).version()).isEqualTo(version);

        fixture.commands().execute(WORKER, id, new SessionCommand.ChangePhase(new Phase("synthesis")));
        assertThat(fixture.stored(id).phase()).isEqualTo(new Phase("synthesis"));
    }

    @Test
    void a_workflow_without_a_declared_phase_order_allows_any_phase_change() {
        SessionId id = fixture.running(ALICE);

        for (String phase : List.of("synthesis", "decomposition", "undeclared", "decomposition")) {
            fixture.commands().execute(WORKER, id, new SessionCommand.ChangePhase(new Phase(phase)));
        }
        assertThat(fixture.stored(id).phase()).isEqualTo(new Phase("decomposition"));
    }

    @Test
    void a_stale_expected_version_is_refused_with_version_mismatch_and_changes_nothing() {
        SessionId id = fixture.running(ALICE);

        assertThatThrownBy(() -> fixture.commands().execute(ALICE, id, new SessionCommand.Pause(null), 1))
                .asInstanceOf(type(VersionMismatchException.class))
                .satisfies(e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.currentVersion()).isEqualTo(2);
                });
        assertThat(fixture.stored(id).status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(fixture.commands().execute(ALICE, id, new SessionCommand.Pause(null), 2).session().version())
                .isEqualTo(3);
    }

    @Test
    void malformed_commands_are_validation_errors_and_store_nothing() {
        SessionId id = fixture.running(ALICE);

        assertThatThrownBy(() -> fixture.commands().execute(WORKER, id,
                new SessionCommand.AppendEvent("session.completed", null)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> fixture.commands().execute(WORKER, id,
                new SessionCommand.RecordProgress(null, 101, null)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> fixture.commands().create(ALICE, new CreateSession("no spaces", null, null)))
                .isInstanceOf(ValidationException.class);
        assertThat(fixture.log(id)).hasSize(2);
        assertThat(fixture.wholeLog()).hasSize(2);
    }

    @Test
    void create_puts_the_session_in_the_tenant_and_ownership_of_the_principal() {
        CommandResult created = fixture.commands().create(ALICE,
                new CreateSession("demo", "Plan", JsonValue.object(Map.of("rounds", JsonValue.of(2)))));

        Session session = created.session();
        assertThat(session.tenantId()).isEqualTo("acme");
        assertThat(session.ownerId()).isEqualTo("alice");
        assertThat(session.workflow()).isEqualTo("demo");
        assertThat(session.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(session.createdAt()).isEqualTo(fixture.clock.instant());
        assertThat(created.events()).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(SessionEvent.CREATED);
            assertThat(event.seq()).isEqualTo(1);
            assertThat(event.tenantId()).isEqualTo("acme");
        });
        assertThat(fixture.stored(session.id())).isEqualTo(session);
    }

    @Test
    void commands_and_reads_of_an_unknown_session_answer_not_found() {
        SessionId unknown = new SessionId(UUID.randomUUID());

        assertThatThrownBy(() -> fixture.commands().execute(ADMIN, unknown, new SessionCommand.Start()))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> fixture.commands().heartbeat(ADMIN, unknown))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> fixture.queries().get(ADMIN, unknown))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> fixture.queries().history(ADMIN, unknown, 0, 10))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> fixture.subscriptions().subscribe(ADMIN, unknown, 0, new RecordingListener()))
                .isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void a_store_that_refuses_the_write_fails_the_command_and_nothing_is_stored_or_published() {
        InMemorySessionStore memory = new InMemorySessionStore();
        UnavailableSessionStore store = new UnavailableSessionStore(memory);
        MutableClock clock = MutableClock.standing();
        try (PhaselineCore core = CoreFixture.builder(memory, clock).store(store)
                .deliveryExecutor(Runnable::run).build()) {
            SessionId id = core.commands().create(ALICE, new CreateSession(null, null, null)).session().id();
            core.commands().execute(ALICE, id, new SessionCommand.Start());
            RecordingListener listener = new RecordingListener();
            core.subscriptions().subscribe(ALICE, id, 0, listener);
            Session before = memory.find(id).orElseThrow();

            store.takeWritesDown();

            assertThatThrownBy(() -> core.commands().execute(WORKER, id, new SessionCommand.Complete(null)))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> core.commands().create(ALICE, new CreateSession(null, null, null)))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> core.commands().heartbeat(WORKER, id))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(memory.find(id)).contains(before);
            assertThat(memory.eventLog().readSession(id, 0, 100)).hasSize(2);
            assertThat(listener.seqs()).containsExactly(1L, 2L);

            store.bringUp();
            core.commands().execute(WORKER, id, new SessionCommand.Complete(null));
            assertThat(listener.seqs()).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void a_store_that_cannot_be_read_fails_commands_and_lists_while_gets_answer_the_state_last_committed_here() {
        InMemorySessionStore memory = new InMemorySessionStore();
        UnavailableSessionStore store = new UnavailableSessionStore(memory);
        try (PhaselineCore core = CoreFixture.builder(memory, MutableClock.standing()).store(store).build()) {
            SessionId id = core.commands().create(ALICE, new CreateSession(null, null, null)).session().id();

            store.takeDown();

            assertThatThrownBy(() -> core.commands().execute(ALICE, id, new SessionCommand.Start()))
                    .isInstanceOf(StoreUnavailableException.class);
            // The live state holds exactly the version this node committed last, so it may answer without the store.
            assertThat(core.queries().get(ALICE, id).version()).isEqualTo(1);
            assertThatThrownBy(() -> core.queries().list(ALICE, ListSessions.firstPage()))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(memory.find(id).orElseThrow().status()).isEqualTo(SessionStatus.CREATED);
        }
    }

    @Test
    void opening_a_stream_on_a_session_at_the_version_this_node_committed_needs_no_read_of_the_sessions() {
        InMemorySessionStore memory = new InMemorySessionStore();
        UnavailableSessionStore store = new UnavailableSessionStore(memory);
        try (PhaselineCore core = CoreFixture.builder(memory, MutableClock.standing()).store(store)
                .deliveryExecutor(Runnable::run).build()) {
            SessionId id = core.commands().create(ALICE, new CreateSession(null, null, null)).session().id();
            core.commands().execute(ALICE, id, new SessionCommand.Start());

            // A burst of streams opening must not queue for the pool twice each: the session check follows the read
            // rule (live state at the known committed version), and only the replay reads the durable log.
            store.takeDown();
            RecordingListener listener = new RecordingListener();
            core.subscriptions().subscribe(ALICE, id, 0, listener);

            assertThat(listener.seqs()).containsExactly(1L, 2L);
        }
    }
}
