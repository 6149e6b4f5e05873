package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import dev.phaseline.domain.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Session streams: replay from the log, then live, with no gap and no duplicate, ending by themselves. */
class SessionSubscriptionsTest {

    private static final Principal ALICE = user("alice", "acme");
    private static final Principal WORKER = worker("acme");

    private final CoreFixture fixture = CoreFixture.create();

    @AfterEach
    void closeCore() {
        fixture.close();
    }

    @Test
    void replay_after_a_seq_then_live_events_arrive_without_gap_or_duplicate() {
        SessionId id = fixture.running(ALICE);
        fixture.appendEvents(id, 8);
        RecordingListener listener = new RecordingListener();

        fixture.subscriptions().subscribe(ALICE, id, 4, listener);
        listener.awaitCount(6);
        fixture.appendEvents(id, 5);

        listener.awaitCount(11);
        assertThat(listener.seqs()).containsExactlyElementsOf(RecordingListener.seqsBetween(5, 15));
        assertThat(listener.events()).isEqualTo(fixture.store.eventLog().readSession(id, 4, 100));
        assertThat(listener.end()).isNull();
        listener.assertWellBehaved();
    }

    @Test
    void subscribers_joining_while_a_writer_commits_see_every_later_event_exactly_once_in_order()
            throws Exception {
        SessionId id = fixture.running(ALICE);
        // Fewer events than the default buffer (1024): no subscriber can overflow, however late it runs.
        int writes = 1000;
        int subscribers = 40;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < writes; i++) {
                fixture.commands().execute(WORKER, id, CoreFixture.appendEvent(i));
            }
        });
        List<RecordingListener> listeners = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            // Spread the subscriptions over the writer's run; spinning on progress, not on time.
            long target = 2L + (long) i * writes / subscribers;
            while (fixture.stored(id).lastEventSeq() < target && !writer.isDone()) {
                Thread.onSpinWait();
            }
            long committed = fixture.stored(id).lastEventSeq();
            long after = ThreadLocalRandom.current().nextLong(committed + 1);
            RecordingListener listener = new RecordingListener();
            fixture.subscriptions().subscribe(ALICE, id, after, listener);
            listeners.add(listener);
            starts.add(after);
        }
        writer.get(10, TimeUnit.SECONDS);
        long last = fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null)).session()
                .lastEventSeq();

        for (int i = 0; i < listeners.size(); i++) {
            RecordingListener listener = listeners.get(i);
            assertThat(listener.awaitEnd()).isEqualTo(
                    new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.COMPLETED));
            assertThat(listener.seqs()).as("subscriber after seq %d", starts.get(i))
                    .containsExactlyElementsOf(RecordingListener.seqsBetween(starts.get(i) + 1, last));
            listener.assertWellBehaved();
        }
        assertThat(fixture.core.openSubscriptions()).isZero();
    }

    @Test
    void a_stream_ends_with_the_terminal_status_right_after_the_terminal_event() {
        SessionId id = fixture.running(ALICE);
        RecordingListener listener = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, 0, listener);

        fixture.commands().execute(WORKER, id, new SessionCommand.Fail("tool_crashed", "boom"));

        assertThat(listener.awaitEnd()).isEqualTo(new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.FAILED));
        assertThat(listener.types()).containsExactly(SessionEvent.CREATED, SessionEvent.STARTED,
                SessionEvent.FAILED);
        assertThat(fixture.core.openSubscriptions()).isZero();
        listener.assertWellBehaved();
    }

    @Test
    void subscribing_to_a_finished_session_after_its_last_seq_ends_at_once_with_its_status() {
        SessionId id = fixture.completed(ALICE);

        RecordingListener listener = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, 3, listener);

        assertThat(listener.awaitEnd()).isEqualTo(
                new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.COMPLETED));
        assertThat(listener.events()).isEmpty();
        assertThat(fixture.core.openSubscriptions()).isZero();
    }

    @Test
    void subscribing_to_a_finished_session_from_an_earlier_seq_replays_the_rest_then_ends() {
        SessionId id = fixture.completed(ALICE);

        RecordingListener listener = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, 1, listener);

        assertThat(listener.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(listener.seqs()).containsExactly(2L, 3L);
    }

    @Test
    void deleting_an_active_session_ends_the_stream_after_killed_and_a_resubscribe_gets_deleted_then_the_end() {
        SessionId id = fixture.running(ALICE);
        RecordingListener listener = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, 0, listener);

        fixture.commands().execute(ALICE, id, new SessionCommand.Delete());

        assertThat(listener.awaitEnd()).isEqualTo(new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.KILLED));
        assertThat(listener.types()).containsExactly(SessionEvent.CREATED, SessionEvent.STARTED,
                SessionEvent.KILLED);

        long lastSeen = listener.seqs().get(listener.count() - 1);
        RecordingListener again = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, lastSeen, again);

        assertThat(again.awaitEnd()).isEqualTo(new StreamEnd(StreamEnd.Reason.TERMINAL, SessionStatus.DELETED));
        assertThat(again.types()).containsExactly(SessionEvent.DELETED);
        assertThat(again.seqs()).containsExactly(lastSeen + 1);
    }

    @Test
    void a_stream_of_a_paused_session_opens_replays_and_stays_open_for_what_comes_next() {
        SessionId id = fixture.pausedForClarification(ALICE);
        RecordingListener listener = new RecordingListener();

        fixture.subscriptions().subscribe(ALICE, id, 0, listener);
        listener.awaitCount(3);
        fixture.commands().execute(ALICE, id, new SessionCommand.AnswerClarification(Map.of("q1", "a", "q2", "b")));

        listener.awaitCount(4);
        assertThat(listener.types()).endsWith(SessionEvent.CLARIFICATION_REQUESTED,
                SessionEvent.CLARIFICATION_ANSWERED);
        assertThat(listener.end()).isNull();
    }

    @Test
    void ids_in_upper_and_lower_case_address_the_same_session_and_the_same_subscribers() {
        SessionId created = fixture.running(ALICE);
        String text = created.toString();
        SessionId upper = SessionId.parse(text.toUpperCase(Locale.ROOT));
        SessionId lower = SessionId.parse(text.toLowerCase(Locale.ROOT));
        RecordingListener byUpper = new RecordingListener();
        RecordingListener byLower = new RecordingListener();

        fixture.subscriptions().subscribe(ALICE, upper, 2, byUpper);
        fixture.subscriptions().subscribe(ALICE, lower, 2, byLower);
        fixture.commands().execute(WORKER, lower, CoreFixture.appendEvent(1));
        fixture.commands().execute(WORKER, upper, CoreFixture.appendEvent(2));
        fixture.commands().execute(WORKER, lower, new SessionCommand.Complete(null));

        for (RecordingListener listener : List.of(byUpper, byLower)) {
            assertThat(listener.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
            assertThat(listener.seqs()).containsExactly(3L, 4L, 5L);
            assertThat(listener.events()).allSatisfy(event -> assertThat(event.sessionId()).isEqualTo(created));
        }
        assertThat(upper).isEqualTo(lower).hasToString(text.toLowerCase(Locale.ROOT));
        assertThat(fixture.queries().get(ALICE, upper)).isEqualTo(fixture.queries().get(ALICE, lower));
        assertThat(fixture.queries().history(ALICE, upper, 0, 10).items()).hasSize(5);
    }

    @Test
    void a_closed_subscription_gets_nothing_more_and_no_end() {
        SessionId id = fixture.running(ALICE);
        RecordingListener listener = new RecordingListener();
        Subscription subscription = fixture.subscriptions().subscribe(ALICE, id, 0, listener);
        listener.awaitCount(2);

        subscription.close();
        fixture.appendEvents(id, 3);
        fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null));
        RecordingListener witness = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, 0, witness);
        witness.awaitEnd();

        assertThat(subscription.isClosed()).isTrue();
        assertThat(listener.seqs()).containsExactly(1L, 2L);
        assertThat(listener.end()).isNull();
        assertThat(fixture.core.openSubscriptions()).isZero();
    }

    @Test
    void a_listener_that_throws_loses_only_its_own_subscription() {
        SessionId id = fixture.running(ALICE);
        RecordingListener failing = new RecordingListener() {
            @Override
            void received(StoredEvent event) {
                if (event.seq() == 3) {
                    throw new IllegalStateException("a bug in the subscriber");
                }
            }
        };
        RecordingListener healthy = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, 0, failing);
        fixture.subscriptions().subscribe(ALICE, id, 0, healthy);

        fixture.appendEvents(id, 3);
        fixture.commands().execute(WORKER, id, new SessionCommand.Complete(null));

        assertThat(healthy.awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(healthy.seqs()).containsExactlyElementsOf(RecordingListener.seqsBetween(1, 6));
        RecordingListener.promptly().until(() -> fixture.core.openSubscriptions() == 0);
        assertThat(failing.seqs()).containsExactly(1L, 2L);
        assertThat(failing.end()).isNull();
    }

    @Test
    void closing_the_core_ends_every_open_stream_with_shutdown() {
        SessionId id = fixture.running(ALICE);
        RecordingListener session = new RecordingListener();
        RecordingListener feed = new RecordingListener();
        fixture.subscriptions().subscribe(ALICE, id, 0, session);
        fixture.subscriptions().subscribeFeed(CoreFixture.support("acme"), 0, Set.of(), feed);
        session.awaitCount(2);
        feed.awaitCount(2);

        fixture.core.close();

        assertThat(session.awaitEnd()).isEqualTo(new StreamEnd(StreamEnd.Reason.SHUTDOWN, null));
        assertThat(feed.awaitEnd()).isEqualTo(new StreamEnd(StreamEnd.Reason.SHUTDOWN, null));
        RecordingListener.promptly().until(() -> fixture.core.openSubscriptions() == 0);
    }

    @Test
    void a_negative_after_is_a_validation_error() {
        SessionId id = fixture.running(ALICE);

        assertThatThrownBy(() -> fixture.subscriptions().subscribe(ALICE, id, -1, new RecordingListener()))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> fixture.subscriptions().subscribeFeed(CoreFixture.support("acme"), -1,
                Set.of(), new RecordingListener())).isInstanceOf(ValidationException.class);
        assertThat(fixture.core.openSubscriptions()).isZero();
    }
}
