package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One slow subscriber never delays the others; it is ended on overflow, never silently skipped, and resumes. */
class SlowSubscriberTest {

    private static final int BUFFER = 16;
    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    private final CoreFixture fixture = CoreFixture.create(builder -> builder.subscriberBuffer(BUFFER));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeCore() {
        release.countDown();
        fixture.close();
    }

    /** Blocks in its first event until the test releases it. */
    private final class BlockedListener extends RecordingListener {
        final CountDownLatch blocked = new CountDownLatch(1);

        @Override
        void received(StoredEvent event) {
            blocked.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void a_blocked_subscriber_does_not_delay_the_others_ends_with_overflow_and_resumes_without_gap()
            throws Exception {
        SessionId id = fixture.running(ALICE);
        long start = fixture.stored(id).lastEventSeq();
        BlockedListener slow = new BlockedListener();
        List<RecordingListener> fast = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fast.add(new RecordingListener());
        }
        fixture.subscriptions().subscribe(ALICE, id, start, slow);
        fast.forEach(listener -> fixture.subscriptions().subscribe(ALICE, id, start, listener));

        int published = BUFFER * 4;
        fixture.appendEvents(id, 1);
        assertThat(slow.blocked.await(5, TimeUnit.SECONDS)).as("the slow subscriber got its first event").isTrue();
        // Each event reaches every fast subscriber while the slow one stays blocked in its first event. (Paced, so
        // that a burst of in-memory commits cannot overflow the small buffer of a fast subscriber either.)
        for (int n = 1; n <= published; n++) {
            if (n > 1) {
                fixture.appendEvents(id, 1);
            }
            for (RecordingListener listener : fast) {
                listener.awaitCount(n);
            }
        }
        long last = start + published;
        for (RecordingListener listener : fast) {
            assertThat(listener.seqs()).containsExactlyElementsOf(RecordingListener.seqsBetween(start + 1, last));
            assertThat(listener.end()).isNull();
        }
        assertThat(slow.end()).isNull();

        release.countDown();

        assertThat(slow.awaitEnd()).isEqualTo(new StreamEnd(StreamEnd.Reason.OVERFLOW, null));
        List<Long> prefix = slow.seqs();
        assertThat(prefix).isNotEmpty().hasSizeLessThan(published)
                .containsExactlyElementsOf(RecordingListener.seqsBetween(start + 1, start + prefix.size()));
        slow.assertWellBehaved();

        long resumeAfter = prefix.get(prefix.size() - 1);
        RecordingListener resumed = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, resumeAfter, resumed);
        fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null));

        assertThat(resumed.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(resumed.seqs()).containsExactlyElementsOf(RecordingListener.seqsBetween(resumeAfter + 1, last + 1));
        for (RecordingListener listener : fast) {
            assertThat(listener.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
            listener.assertWellBehaved();
        }
    }

    @Test
    void a_subscriber_that_keeps_up_is_never_ended_however_many_events_pass() {
        SessionId id = fixture.running(ALICE);
        RecordingListener listener = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, 0, listener);

        for (int batch = 0; batch < 20; batch++) {
            fixture.appendEvents(id, BUFFER / 2);
            listener.awaitCount(2 + (batch + 1) * BUFFER / 2);
        }

        assertThat(listener.end()).isNull();
        assertThat(listener.seqs()).containsExactlyElementsOf(RecordingListener.seqsBetween(1, 2 + 20 * BUFFER / 2));
    }

    @Test
    void a_replay_longer_than_the_buffer_is_delivered_in_full() {
        SessionId id = fixture.running(ALICE);
        fixture.appendEvents(id, BUFFER * 40);
        RecordingListener listener = new RecordingListener();

        fixture.subscriptions().subscribe(ALICE, id, 0, listener);

        listener.awaitCount(2 + BUFFER * 40);
        assertThat(listener.end()).isNull();
        assertThat(listener.seqs()).containsExactlyElementsOf(RecordingListener.seqsBetween(1, 2 + BUFFER * 40));
    }

    @Test
    void one_blocked_subscriber_does_not_hold_back_subscribers_of_other_sessions() throws Exception {
        SessionId slowSession = fixture.running(ALICE);
        SessionId other = fixture.running(ALICE);
        BlockedListener slow = new BlockedListener();
        fixture.subscriptions().subscribe(ALICE, slowSession, 0, slow);
        assertThat(slow.blocked.await(5, TimeUnit.SECONDS)).isTrue();
        RecordingListener listener = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, other, 0, listener);

        fixture.appendEvents(other, 10);

        RecordingListener.promptly().atMost(Duration.ofSeconds(5)).until(() -> listener.count() == 12);
        assertThat(slow.count()).isZero();
    }
}
