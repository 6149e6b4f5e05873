package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static dev.phaseline.application.RecordingListener.promptly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fan-out happens off the committing thread, in one pass over a session's subscribers: a command never waits for
 * them, and a caught-up non-blocking listener gets a live event without a task of its own. The guarantees of every
 * stream (order, no gap, no duplicate, replay then live, the end) hold on that path as on the queued one.
 */
class FanOutTest {

    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    /** Promises not to block: gets live events straight from the fan-out lane. */
    static class NonBlockingListener extends RecordingListener {
        @Override
        public boolean nonBlocking() {
            return true;
        }
    }

    /** Runs delivery tasks on the pool; counts them, and those handed over by one chosen thread. */
    private final class CountingExecutor implements java.util.concurrent.Executor {
        final AtomicInteger tasks = new AtomicInteger();
        final AtomicInteger fromWatched = new AtomicInteger();
        volatile Thread watched;

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            if (Thread.currentThread() == watched) {
                fromWatched.incrementAndGet();
            }
            pool.execute(task);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_committing_thread_hands_an_event_over_once_per_lane_not_once_per_subscriber() {
        CountingExecutor delivery = new CountingExecutor();
        try (CoreFixture fixture = CoreFixture.create(builder -> builder.deliveryExecutor(delivery))) {
            SessionId id = fixture.running(ALICE);
            List<RecordingListener> listeners = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                RecordingListener listener = i % 2 == 0 ? new RecordingListener() : new NonBlockingListener();
                fixture.subscriptions().subscribe(ALICE, id, 0, listener);
                listeners.add(listener);
            }
            listeners.forEach(listener -> listener.awaitCount(2));

            delivery.watched = Thread.currentThread();
            fixture.commands().execute(WORKER, id, CoreFixture.appendEvent(1));
            delivery.watched = null;

            // At least one: the committing thread does not deliver itself. A lane whose task is still finishing
            // an earlier event takes the new one without a new task, so not always exactly one per lane.
            assertThat(delivery.fromWatched.get()).as("tasks handed over by the committing thread")
                    .isPositive().isLessThanOrEqualTo(SubscriptionService.DEFAULT_LANES);
            listeners.forEach(listener -> listener.awaitCount(3));
            listeners.forEach(RecordingListener::assertWellBehaved);
        }
    }

    @Test
    void a_command_returns_while_a_non_blocking_listener_is_stuck_in_its_event() throws Exception {
        try (CoreFixture fixture = CoreFixture.create()) {
            SessionId id = fixture.running(ALICE);
            CountDownLatch stuck = new CountDownLatch(1);
            NonBlockingListener listener = new NonBlockingListener() {
                @Override
                void received(StoredEvent event) {
                    if (event.seq() == 3) {
                        stuck.countDown();
                        await(release);
                    }
                }
            };
            fixture.subscriptions().subscribe(ALICE, id, 0, listener);
            listener.awaitCount(2);

            CompletableFuture<CommandResult> first = CompletableFuture.supplyAsync(
                    () -> fixture.commands().execute(WORKER, id, CoreFixture.appendEvent(1)), pool);
            assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<CommandResult> second = CompletableFuture.supplyAsync(
                    () -> fixture.commands().execute(WORKER, id, CoreFixture.appendEvent(2)), pool);

            assertThat(first.get(5, TimeUnit.SECONDS).session().lastEventSeq()).isEqualTo(3);
            assertThat(second.get(5, TimeUnit.SECONDS).session().lastEventSeq()).isEqualTo(4);
            release.countDown();
            listener.awaitCount(4);
            assertThat(listener.seqs()).containsExactly(1L, 2L, 3L, 4L);
            listener.assertWellBehaved();
        }
    }

    @Test
    void a_live_event_reaches_every_caught_up_non_blocking_subscriber_without_a_task_per_subscriber() {
        CountingExecutor delivery = new CountingExecutor();
        try (CoreFixture fixture = CoreFixture.create(builder -> builder.deliveryExecutor(delivery))) {
            SessionId id = fixture.running(ALICE);
            List<NonBlockingListener> listeners = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                NonBlockingListener listener = new NonBlockingListener();
                fixture.subscriptions().subscribe(ALICE, id, 0, listener);
                listeners.add(listener);
            }
            listeners.forEach(listener -> listener.awaitCount(2));
            int tasksAfterReplays = delivery.tasks.get();

            fixture.appendEvents(id, 3);

            listeners.forEach(listener -> listener.awaitCount(5));
            assertThat(delivery.tasks.get() - tasksAfterReplays).as("delivery tasks for 3 events to 200 streams")
                    .isLessThanOrEqualTo(3 * SubscriptionService.DEFAULT_LANES);
            listeners.forEach(RecordingListener::assertWellBehaved);
        }
    }

    @Test
    void a_blocking_listener_gets_its_events_on_the_delivery_executor_and_holds_up_no_non_blocking_one() {
        try (CoreFixture fixture = CoreFixture.create()) {
            SessionId id = fixture.running(ALICE);
            CountDownLatch blocked = new CountDownLatch(1);
            RecordingListener slow = new RecordingListener() {
                @Override
                void received(StoredEvent event) {
                    blocked.countDown();
                    await(release);
                }
            };
            fixture.subscriptions().subscribe(ALICE, id, 2, slow);
            // One per lane after it, so that one of them shares the slow listener's lane.
            List<NonBlockingListener> fast = new ArrayList<>();
            for (int i = 0; i < SubscriptionService.DEFAULT_LANES; i++) {
                NonBlockingListener listener = new NonBlockingListener();
                fixture.subscriptions().subscribe(ALICE, id, 2, listener);
                fast.add(listener);
            }

            fixture.appendEvents(id, 1);
            promptly().until(() -> blocked.getCount() == 0);
            fixture.appendEvents(id, 4);

            fast.forEach(listener -> listener.awaitCount(5));
            assertThat(slow.count()).isZero();
            release.countDown();
            slow.awaitCount(5);
            slow.assertWellBehaved();
            fast.forEach(RecordingListener::assertWellBehaved);
        }
    }

    @ParameterizedTest
    @EnumSource(value = UnreliableEventBus.Fault.class, names = {"DROPS_EVERY_THIRD", "SWAPS_NEIGHBOURS", "DUPLICATES"})
    void non_blocking_subscribers_get_every_event_once_in_order_whatever_the_bus_does(UnreliableEventBus.Fault fault) {
        try (UnreliableEventBus bus = new UnreliableEventBus(fault);
                CoreFixture fixture = CoreFixture.create(builder -> builder.bus(bus))) {
            SessionId id = fixture.running(ALICE);
            NonBlockingListener listener = new NonBlockingListener();
            fixture.subscriptions().subscribe(ALICE, id, 0, listener);

            for (int i = 0; i < 30; i++) {
                fixture.commands().execute(WORKER, id, CoreFixture.appendEvent(i));
            }
            fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null));

            assertThat(listener.awaitEnd()).isEqualTo(
                    new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.COMPLETED));
            assertThat(listener.events()).isEqualTo(fixture.log(id));
            listener.assertWellBehaved();
        }
    }

    @Test
    void non_blocking_subscribers_joining_while_a_writer_commits_see_every_later_event_exactly_once_in_order()
            throws Exception {
        try (CoreFixture fixture = CoreFixture.create()) {
            SessionId id = fixture.running(ALICE);
            int joins = 40;
            int batch = 25;
            // The writer commits a batch per join, let go just before the join, so that every subscription races a
            // batch of commits however fast the writes are.
            Semaphore joined = new Semaphore(0);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < joins * batch; i++) {
                    if (i % batch == 0) {
                        joined.acquireUninterruptibly();
                    }
                    fixture.commands().execute(WORKER, id, CoreFixture.appendEvent(i));
                }
            }, pool);
            List<NonBlockingListener> listeners = new ArrayList<>();
            List<Long> starts = new ArrayList<>();
            for (int i = 0; i < joins; i++) {
                joined.release();
                long after = ThreadLocalRandom.current().nextLong(fixture.stored(id).lastEventSeq() + 1);
                NonBlockingListener listener = new NonBlockingListener();
                fixture.subscriptions().subscribe(ALICE, id, after, listener);
                listeners.add(listener);
                starts.add(after);
                long batchDone = 2L + (long) (i + 1) * batch;
                promptly().until(() -> fixture.stored(id).lastEventSeq() >= batchDone);
            }
            writer.get(10, TimeUnit.SECONDS);
            long last = fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null)).session()
                    .lastEventSeq();

            for (int i = 0; i < listeners.size(); i++) {
                NonBlockingListener listener = listeners.get(i);
                assertThat(listener.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
                assertThat(listener.seqs()).as("subscriber after seq %d", starts.get(i))
                        .containsExactlyElementsOf(RecordingListener.seqsBetween(starts.get(i) + 1, last));
                listener.assertWellBehaved();
            }
            assertThat(fixture.core.openSubscriptions()).isZero();
        }
    }

    @Test
    void live_events_that_come_while_a_non_blocking_replay_waits_for_demand_follow_it_without_gap() {
        try (CoreFixture fixture = CoreFixture.create(builder -> builder.subscriberBuffer(8))) {
            SessionId id = fixture.running(ALICE);
            fixture.appendEvents(id, 20);
            AtomicInteger room = new AtomicInteger(5);
            NonBlockingListener listener = new NonBlockingListener() {
                @Override
                void received(StoredEvent event) {
                    room.decrementAndGet();
                }

                @Override
                public boolean ready() {
                    return room.get() > 0;
                }
            };
            Subscription subscription = fixture.subscriptions().subscribe(ALICE, id, 0, listener);
            listener.awaitCount(5);

            fixture.appendEvents(id, 6);
            promptly().during(Duration.ofMillis(100)).until(() -> listener.count() == 5);
            room.set(1_000);
            subscription.demand();

            listener.awaitCount(28);
            assertThat(listener.seqs()).isEqualTo(RecordingListener.seqsBetween(1, 28));
            listener.assertWellBehaved();
        }
    }

    @Test
    void a_non_blocking_subscriber_that_falls_behind_its_buffer_during_a_replay_ends_with_overflow() {
        try (CoreFixture fixture = CoreFixture.create(builder -> builder.subscriberBuffer(4))) {
            SessionId id = fixture.running(ALICE);
            NonBlockingListener listener = new NonBlockingListener() {
                @Override
                public boolean ready() {
                    return count() < 1;
                }
            };
            fixture.subscriptions().subscribe(ALICE, id, 0, listener);
            listener.awaitCount(1);

            fixture.appendEvents(id, 6);

            assertThat(listener.awaitEnd()).isEqualTo(new StreamEnd(StreamEnd.Reason.OVERFLOW, null));
            assertThat(listener.seqs()).containsExactly(1L);
            listener.assertWellBehaved();
        }
    }
}
