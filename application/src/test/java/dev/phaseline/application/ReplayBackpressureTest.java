package dev.phaseline.application;

import static dev.phaseline.application.RecordingListener.promptly;
import static dev.phaseline.application.RecordingListener.seqsBetween;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionId;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replay from the log goes at the listener's pace: it stops while the listener is not ready and goes on on demand,
 * so a backlog far larger than the subscriber buffer reaches a slow listener whole, without an overflow.
 */
class ReplayBackpressureTest {

    private static final Principal ALICE = CoreFixture.user("alice", "acme");

    private final CoreFixture fixture = CoreFixture.create(builder -> builder.subscriberBuffer(8));

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Takes a few events, then says it is full until the test drains it. */
    private static final class ThrottledListener extends RecordingListener {
        private final AtomicInteger room = new AtomicInteger();

        ThrottledListener(int room) {
            this.room.set(room);
        }

        @Override
        void received(StoredEvent event) {
            room.decrementAndGet();
        }

        @Override
        public boolean ready() {
            return room.get() > 0;
        }

        void makeRoom(int events) {
            room.addAndGet(events);
        }
    }

    @Test
    void a_replay_stops_while_the_listener_is_not_ready_and_goes_on_on_demand() {
        SessionId id = fixture.running(ALICE);
        fixture.appendEvents(id, 100);
        ThrottledListener listener = new ThrottledListener(10);

        Subscription subscription = fixture.subscriptions().subscribe(ALICE, id, 0, listener);

        listener.awaitCount(10);
        promptly().during(Duration.ofMillis(200)).until(() -> listener.count() == 10);
        while (listener.count() < 102) {
            int before = listener.count();
            listener.makeRoom(25);
            subscription.demand();
            promptly().until(() -> listener.count() >= Math.min(102, before + 25));
        }
        assertThat(listener.seqs()).isEqualTo(seqsBetween(1, 102));
        assertThat(listener.end()).as("a backlog of 102 events with a buffer of 8 does not overflow").isNull();
        listener.assertWellBehaved();
    }

    @Test
    void live_events_that_come_while_a_replay_waits_are_delivered_after_it_without_gap_or_duplicate() {
        SessionId id = fixture.running(ALICE);
        fixture.appendEvents(id, 20);
        ThrottledListener listener = new ThrottledListener(5);
        Subscription subscription = fixture.subscriptions().subscribe(ALICE, id, 0, listener);
        listener.awaitCount(5);

        fixture.appendEvents(id, 6);
        listener.makeRoom(1_000);
        subscription.demand();

        listener.awaitCount(28);
        assertThat(listener.seqs()).isEqualTo(seqsBetween(1, 28));
        listener.assertWellBehaved();
    }

    @Test
    void demand_without_a_waiting_replay_changes_nothing() {
        SessionId id = fixture.running(ALICE);
        RecordingListener listener = new RecordingListener();
        Subscription subscription = fixture.subscriptions().subscribe(ALICE, id, 0, listener);
        listener.awaitCount(2);

        subscription.demand();
        subscription.demand();
        fixture.appendEvents(id, 3);

        listener.awaitCount(5);
        assertThat(listener.seqs()).isEqualTo(seqsBetween(1, 5));
        listener.assertWellBehaved();
    }

    @Test
    void a_feed_replay_also_goes_at_the_listeners_pace() {
        SessionId id = fixture.running(ALICE);
        fixture.appendEvents(id, 40);
        ThrottledListener listener = new ThrottledListener(7);
        Subscription feed = fixture.subscriptions().subscribeFeed(CoreFixture.ADMIN, 0, Set.of(), listener);

        listener.awaitCount(7);
        promptly().during(Duration.ofMillis(200)).until(() -> listener.count() == 7);
        listener.makeRoom(1_000);
        feed.demand();

        listener.awaitCount(42);
        assertThat(listener.seqs()).isEqualTo(seqsBetween(1, 42));
        listener.assertWellBehaved();
    }
}
