package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.domain.Command;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A committed command is durable: a cache or bus that fails afterwards never fails it, and is reported. */
class PortFailureTest {

    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    /** Keeps what the application reports. */
    private static final class RecordingMetrics implements ApplicationMetrics {
        final List<String> failedPorts = new CopyOnWriteArrayList<>();
        final List<String> commands = new CopyOnWriteArrayList<>();

        @Override
        public void portFailed(String port) {
            failedPorts.add(port);
        }

        @Override
        public void commandExecuted(Command command, String outcome) {
            commands.add(command.wireName() + ":" + outcome);
        }
    }

    @Test
    void a_cache_that_throws_never_fails_a_committed_command_or_a_read() {
        ThrowingLiveStateCache cache = new ThrowingLiveStateCache();
        RecordingMetrics metrics = new RecordingMetrics();
        try (CoreFixture fixture = CoreFixture.create(builder -> builder.cache(cache).metrics(metrics))) {
            SessionId id = fixture.created(ALICE);
            CommandResult started = fixture.commands().execute(ALICE, id, new SessionCommand.Start());
            CommandResult completed = fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null));

            assertThat(started.session().status()).isEqualTo(SessionStatus.RUNNING);
            assertThat(fixture.stored(id)).isEqualTo(completed.session());
            assertThat(fixture.queries().get(ALICE, id)).isEqualTo(completed.session());
            assertThat(fixture.queries().list(ALICE, ListSessions.firstPage()).items()).hasSize(1);
            assertThat(cache.calls.get()).isGreaterThanOrEqualTo(4);
            assertThat(metrics.failedPorts).contains("cache").doesNotContain("bus");
        }
    }

    @Test
    void a_bus_that_throws_never_fails_a_committed_command_and_streams_still_replay_from_the_log() {
        RecordingMetrics metrics = new RecordingMetrics();
        try (UnreliableEventBus bus = new UnreliableEventBus(UnreliableEventBus.Fault.THROWS);
                CoreFixture fixture = CoreFixture.create(builder -> builder.bus(bus).metrics(metrics))) {
            SessionId id = fixture.running(ALICE);
            fixture.appendEvents(id, 3);
            CommandResult completed = fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null));

            assertThat(fixture.stored(id)).isEqualTo(completed.session());
            assertThat(fixture.log(id)).hasSize(6);
            assertThat(bus.published()).isEqualTo(6);
            assertThat(metrics.failedPorts).contains("bus");

            RecordingListener listener = new RecordingListener();
            fixture.subscriptions().subscribe(ALICE, id, 0, listener);
            assertThat(listener.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
            assertThat(listener.seqs()).containsExactlyElementsOf(RecordingListener.seqsBetween(1, 6));
        }
    }

    @Test
    void command_outcomes_are_reported_with_their_error_code() {
        RecordingMetrics metrics = new RecordingMetrics();
        try (CoreFixture fixture = CoreFixture.create(builder -> builder.metrics(metrics))) {
            SessionId id = fixture.pausedForClarification(ALICE);
            metrics.commands.clear();

            assertThatThrownBy(() -> fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null)))
                    .isInstanceOf(IllegalTransitionException.class);
            assertThatThrownBy(() -> fixture.commands().execute(WORKER, id, new SessionCommand.Kill(null)))
                    .isInstanceOf(ForbiddenException.class);
            fixture.commands().execute(WORKER, id, new SessionCommand.Fail("gave_up", null));

            assertThat(metrics.commands).containsExactly("complete:illegal_transition", "kill:forbidden",
                    "fail:ok");
        }
    }
}
