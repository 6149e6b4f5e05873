package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bus is best effort; the log is the record. Whatever the bus loses, reorders or repeats, a subscriber gets every
 * event once, in order, filling gaps from the log.
 */
class GapFillingTest {

    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    @ParameterizedTest
    @EnumSource(value = UnreliableEventBus.Fault.class, names = {"DROPS_EVERY_THIRD", "SWAPS_NEIGHBOURS", "DUPLICATES"})
    void a_bus_that_loses_reorders_or_repeats_events_still_yields_every_event_once_in_order(
            UnreliableEventBus.Fault fault) {
        try (UnreliableEventBus bus = new UnreliableEventBus(fault);
                CoreFixture fixture = CoreFixture.create(builder -> builder.bus(bus))) {
            SessionId first = fixture.running(ALICE);
            SessionId second = fixture.running(ALICE);
            RecordingListener ofFirst = new RecordingListener();
            RecordingListener ofSecond = new RecordingListener();
            fixture.subscriptions().subscribe(ALICE, first, 0, ofFirst);
            fixture.subscriptions().subscribe(ALICE, second, 1, ofSecond);

            for (int i = 0; i < 30; i++) {
                fixture.commands().execute(WORKER, i % 2 == 0 ? first : second, CoreFixture.appendEvent(i));
            }
            fixture.commands().execute(WORKER, first, new SessionCommand.Complete(null));
            fixture.commands().execute(ALICE, second, new SessionCommand.Kill(null));

            assertThat(ofFirst.awaitEnd()).isEqualTo(
                    new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.COMPLETED));
            assertThat(ofSecond.awaitEnd()).isEqualTo(new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.KILLED));
            assertThat(ofFirst.events()).isEqualTo(fixture.log(first));
            assertThat(ofSecond.seqs()).containsExactlyElementsOf(RecordingListener.seqsBetween(2, 18));
            ofFirst.assertWellBehaved();
            ofSecond.assertWellBehaved();
        }
    }

    @Test
    void after_a_resync_subscribers_catch_up_on_what_the_bus_lost() {
        try (UnreliableEventBus bus = new UnreliableEventBus(UnreliableEventBus.Fault.LOSES_EVERYTHING);
                CoreFixture fixture = CoreFixture.create(builder -> builder.bus(bus)
                        .deliveryExecutor(Runnable::run))) {
            SessionId id = fixture.running(ALICE);
            RecordingListener listener = new RecordingListener();
            RecordingListener feed = new RecordingListener();
            fixture.subscriptions().subscribe(ALICE, id, 0, listener);
            fixture.subscriptions().subscribeFeed(CoreFixture.support("acme"), 0, Set.of(), feed);
            // Deliveries run on the calling thread here, so the replay is over once subscribe returns.
            assertThat(listener.seqs()).containsExactly(1L, 2L);
            assertThat(feed.seqs()).containsExactly(1L, 2L);

            fixture.appendEvents(id, 3);
            assertThat(listener.seqs()).as("nothing arrives over a bus that loses everything").hasSize(2);
            assertThat(feed.seqs()).hasSize(2);

            bus.resync();

            assertThat(listener.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(feed.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(bus.published()).isEqualTo(5);
        }
    }
}
