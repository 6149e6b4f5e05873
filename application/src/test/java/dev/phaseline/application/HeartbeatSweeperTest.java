package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Command;
import dev.phaseline.domain.Failure;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A running session whose worker died is failed with {@code worker_lost}, never left running forever. */
class HeartbeatSweeperTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    private final CoreFixture fixture = CoreFixture.create(builder -> builder.heartbeatTimeout(TIMEOUT));

    @AfterEach
    void closeCore() {
        fixture.close();
    }

    @Test
    void a_running_session_without_heartbeat_for_longer_than_the_timeout_is_failed_with_worker_lost() {
        SessionId id = fixture.running(ALICE);
        fixture.clock.advance(TIMEOUT.plusSeconds(1));

        assertThat(fixture.core.sweepStaleSessions()).isEqualTo(1);

        Session failed = fixture.stored(id);
        assertThat(failed.status()).isEqualTo(SessionStatus.FAILED);
        assertThat(failed.failure().code()).isEqualTo(Failure.WORKER_LOST);
        assertThat(failed.endedAt()).isEqualTo(fixture.clock.instant());
        assertThat(fixture.log(id)).last().satisfies(event -> {
            assertThat(event.type()).isEqualTo(SessionEvent.FAILED);
            assertThat(event.seq()).isEqualTo(3);
        });
        assertThat(fixture.core.sweepStaleSessions()).isZero();
    }

    @Test
    void a_session_is_not_failed_at_exactly_the_timeout_only_after_it() {
        SessionId id = fixture.running(ALICE);

        fixture.clock.advance(TIMEOUT);
        assertThat(fixture.core.sweepStaleSessions()).isZero();
        assertThat(fixture.stored(id).status()).isEqualTo(SessionStatus.RUNNING);

        fixture.clock.advance(Duration.ofMillis(1));
        assertThat(fixture.core.sweepStaleSessions()).isEqualTo(1);
    }

    @Test
    void a_session_whose_worker_heartbeats_in_time_keeps_running() {
        SessionId beating = fixture.running(ALICE);
        SessionId silent = fixture.running(ALICE);

        for (int minute = 0; minute < 20; minute += 3) {
            fixture.clock.advance(Duration.ofMinutes(3));
            fixture.commands().heartbeat(WORKER, beating);
            fixture.core.sweepStaleSessions();
        }

        assertThat(fixture.stored(beating).status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(fixture.stored(silent).status()).isEqualTo(SessionStatus.FAILED);
    }

    @Test
    void worker_commands_count_as_signs_of_life() {
        SessionId id = fixture.running(ALICE);

        fixture.clock.advance(Duration.ofMinutes(4));
        fixture.commands().execute(WORKER, id, CoreFixture.appendEvent(1));
        fixture.clock.advance(Duration.ofMinutes(4));

        assertThat(fixture.core.sweepStaleSessions()).isZero();
        assertThat(fixture.stored(id).status()).isEqualTo(SessionStatus.RUNNING);
    }

    @Test
    void paused_created_and_finished_sessions_are_never_failed_by_the_sweep() {
        SessionId created = fixture.created(ALICE);
        SessionId pausedOnRequest = fixture.pausedOnRequest(ALICE);
        SessionId waitingForAnswers = fixture.pausedForClarification(ALICE);
        SessionId completed = fixture.completed(ALICE);
        List<StoredEvent> logBefore = fixture.wholeLog();

        fixture.clock.advance(Duration.ofHours(48));

        assertThat(fixture.core.sweepStaleSessions()).isZero();
        assertThat(List.of(created, pausedOnRequest, waitingForAnswers, completed))
                .extracting(id -> fixture.stored(id).status())
                .containsExactly(SessionStatus.CREATED, SessionStatus.PAUSED, SessionStatus.PAUSED,
                        SessionStatus.COMPLETED);
        assertThat(fixture.wholeLog()).isEqualTo(logBefore);
    }

    @Test
    void a_session_resumed_after_a_long_pause_gets_a_fresh_timeout() {
        SessionId id = fixture.pausedOnRequest(ALICE);
        fixture.clock.advance(Duration.ofHours(1));

        fixture.commands().execute(ALICE, id, new SessionCommand.Resume());
        fixture.clock.advance(Duration.ofMinutes(4));

        assertThat(fixture.core.sweepStaleSessions()).isZero();
        assertThat(fixture.stored(id).status()).isEqualTo(SessionStatus.RUNNING);
    }

    @Test
    void heartbeat_moves_only_the_last_heartbeat_time() {
        SessionId id = fixture.running(ALICE);
        Session before = fixture.stored(id);
        fixture.clock.advance(Duration.ofSeconds(30));

        fixture.commands().heartbeat(WORKER, id);

        Session after = fixture.stored(id);
        assertThat(after.lastHeartbeatAt()).isEqualTo(fixture.clock.instant());
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.updatedAt()).isEqualTo(before.updatedAt());
        assertThat(fixture.log(id)).hasSize(2);
    }

    @Test
    void heartbeat_on_a_session_that_is_not_running_is_an_illegal_transition() {
        SessionId created = fixture.created(ALICE);
        SessionId paused = fixture.pausedForClarification(ALICE);
        SessionId completed = fixture.completed(ALICE);

        for (SessionId id : List.of(created, paused, completed)) {
            Session before = fixture.stored(id);
            assertThatThrownBy(() -> fixture.commands().heartbeat(WORKER, id))
                    .asInstanceOf(type(IllegalTransitionException.class))
                    .satisfies(e -> {
                        assertThat(e.attempted()).isEqualTo(Command.HEARTBEAT);
                        assertThat(e.currentStatus()).isEqualTo(before.status());
                    });
            assertThat(fixture.stored(id)).isEqualTo(before);
        }
    }

    @Test
    void subscribers_of_a_session_failed_by_the_sweep_see_the_failure_and_the_end() {
        SessionId id = fixture.running(ALICE);
        RecordingListener listener = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, 0, listener);
        fixture.clock.advance(Duration.ofMinutes(6));

        fixture.core.sweepStaleSessions();

        assertThat(listener.awaitEnd()).isEqualTo(new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.FAILED));
        assertThat(listener.types()).containsExactly(SessionEvent.CREATED, SessionEvent.STARTED,
                SessionEvent.FAILED);
    }

    @Test
    void with_a_sweep_interval_the_core_sweeps_on_its_own() {
        try (CoreFixture sweeping = CoreFixture.create(builder -> builder.heartbeatTimeout(TIMEOUT)
                .sweepInterval(Duration.ofMillis(10)))) {
            SessionId id = sweeping.running(ALICE);

            sweeping.clock.advance(TIMEOUT.plusMinutes(1));

            RecordingListener.promptly().until(() -> sweeping.stored(id).status() == SessionStatus.FAILED);
            assertThat(sweeping.stored(id).failure().code()).isEqualTo(Failure.WORKER_LOST);
        }
    }

    @Test
    void the_sweep_fails_every_stale_session_even_more_than_one_batch() {
        List<SessionId> ids = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add(fixture.running(user("user" + (i % 7), "tenant" + (i % 3))));
        }
        fixture.clock.advance(Duration.ofMinutes(10));

        assertThat(fixture.core.sweepStaleSessions()).isEqualTo(250);
        assertThat(ids).allSatisfy(id -> assertThat(fixture.stored(id).status()).isEqualTo(SessionStatus.FAILED));
    }
}
