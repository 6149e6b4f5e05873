package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.ADMIN;
import static dev.phaseline.application.CoreFixture.support;
import static dev.phaseline.application.CoreFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tenant feed: every event of a tenant (an admin's: of all tenants) by global position, exactly once. */
class FeedSubscriptionTest {

    private static final Principal ALICE = user("alice", "acme");
    private static final Principal BOB = user("bob", "acme");
    private static final Principal DAVE = user("dave", "globex");

    private final CoreFixture fixture = CoreFixture.create();

    @AfterEach
    void closeCore() {
        fixture.close();
    }

    @Test
    void support_reads_every_event_of_its_own_tenant_and_none_of_another() {
        SessionId alices = fixture.running(ALICE);
        fixture.running(DAVE);
        RecordingListener feed = new RecordingListener();

        fixture.subscriptions().subscribeFeed(support("acme"), 0, Set.of(), feed);
        SessionId bobs = fixture.running(BOB);
        fixture.completed(DAVE);
        fixture.appendEvents(alices, 2);

        List<StoredEvent> expected = tenantLog("acme");
        assertThat(expected).hasSize(6);
        feed.awaitCount(expected.size());
        assertThat(feed.events()).isEqualTo(expected);
        assertThat(feed.events()).extracting(StoredEvent::sessionId).containsOnly(alices, bobs);
        assertThat(feed.end()).isNull();
        feed.assertWellBehaved();
    }

    @Test
    void an_admin_reads_every_tenant() {
        fixture.running(ALICE);
        fixture.running(DAVE);
        RecordingListener feed = new RecordingListener();

        fixture.subscriptions().subscribeFeed(ADMIN, 0, Set.of(), feed);
        fixture.completed(DAVE);

        List<StoredEvent> everything = fixture.wholeLog();
        feed.awaitCount(everything.size());
        assertThat(feed.events()).isEqualTo(everything);
        assertThat(feed.events()).extracting(StoredEvent::tenantId).contains("acme", "globex");
    }

    @Test
    void a_types_filter_delivers_only_those_types() {
        RecordingListener feed = new RecordingListener();
        fixture.subscriptions().subscribeFeed(support("acme"), 0,
                Set.of(SessionEvent.COMPLETED, SessionEvent.FAILED), feed);

        fixture.completed(ALICE);
        SessionId failing = fixture.running(BOB);
        fixture.appendEvents(failing, 3);
        fixture.admin(failing, new SessionCommand.Fail("tool_crashed", null));
        fixture.completed(DAVE);

        feed.awaitCount(2);
        assertThat(feed.types()).containsExactly(SessionEvent.COMPLETED, SessionEvent.FAILED);
        assertThat(feed.events()).extracting(StoredEvent::tenantId).containsOnly("acme");
    }

    @Test
    void a_feed_replays_after_a_position_then_goes_live_without_gap_or_duplicate() {
        SessionId id = fixture.running(ALICE);
        fixture.appendEvents(id, 5);
        long after = fixture.log(id).get(3).position();
        RecordingListener feed = new RecordingListener();

        fixture.subscriptions().subscribeFeed(support("acme"), after, Set.of(), feed);
        fixture.appendEvents(id, 5);
        fixture.admin(id, new SessionCommand.Complete(null));

        List<StoredEvent> expected = tenantLog("acme").stream().filter(e -> e.position() > after).toList();
        assertThat(expected).hasSize(9);
        feed.awaitCount(expected.size());
        assertThat(feed.events()).isEqualTo(expected);
        assertThat(feed.end()).as("a feed does not end when one session does").isNull();
    }

    @Test
    void feeds_opened_while_commands_run_in_several_tenants_get_each_event_exactly_once_in_position_order()
            throws Exception {
        SessionId acme = fixture.running(ALICE);
        SessionId globex = fixture.running(DAVE);
        CompletableFuture<Void> writers = CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> fixture.appendEvents(acme, 300)),
                CompletableFuture.runAsync(() -> fixture.appendEvents(globex, 300)));
        List<RecordingListener> feeds = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long target = 4L + i * 60L;
            while (fixture.wholeLog().size() < target && !writers.isDone()) {
                Thread.onSpinWait();
            }
            long after = fixture.wholeLog().size() / 2;
            RecordingListener feed = new RecordingListener();
            fixture.subscriptions().subscribeFeed(i % 2 == 0 ? support("acme") : ADMIN, after, Set.of(), feed);
            feeds.add(feed);
            starts.add(after);
        }
        writers.get(10, TimeUnit.SECONDS);

        for (int i = 0; i < feeds.size(); i++) {
            long after = starts.get(i);
            List<StoredEvent> expected = (i % 2 == 0 ? tenantLog("acme") : fixture.wholeLog()).stream()
                    .filter(event -> event.position() > after).toList();
            feeds.get(i).awaitCount(expected.size());
            assertThat(feeds.get(i).events()).as("feed %d after %d", i, after).isEqualTo(expected);
            feeds.get(i).assertWellBehaved();
        }
    }

    @Test
    void a_feed_reads_again_positions_it_was_signalled_before_the_log_could_show_them() {
        LaggingEventLog lagging = new LaggingEventLog(fixture.store.eventLog());
        // Deliveries run on the committing thread, so the feed has read (and found nothing) before showAll.
        try (PhaselineCore core = CoreFixture.builder(fixture.store, fixture.clock).eventLog(lagging)
                .deliveryExecutor(Runnable::run).build()) {
            SessionId id = core.commands().create(ALICE, new CreateSession(null, null, null)).session().id();
            RecordingListener feed = new RecordingListener();
            core.subscriptions().subscribeFeed(support("acme"), 0, Set.of(), feed);
            feed.awaitCount(1);

            lagging.hideAfter(fixture.wholeLog().size());
            core.commands().execute(ALICE, id, new SessionCommand.Start());
            core.commands().execute(ALICE, id, new SessionCommand.Kill(null));
            assertThat(feed.count()).isEqualTo(1);
            lagging.showAll();

            // No further commit signals the feed: only its own re-read of lagging positions can deliver these.
            feed.awaitCount(3);
            assertThat(feed.types()).containsExactly(SessionEvent.CREATED, SessionEvent.STARTED,
                    SessionEvent.KILLED);
        }
    }

    private List<StoredEvent> tenantLog(String tenant) {
        return fixture.wholeLog().stream().filter(event -> event.tenantId().equals(tenant)).toList();
    }
}
