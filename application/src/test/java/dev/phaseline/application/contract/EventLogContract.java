package dev.phaseline.application.contract;

import static dev.phaseline.application.contract.ContractFixtures.at;
import static dev.phaseline.application.contract.ContractFixtures.changeOf;
import static dev.phaseline.application.contract.ContractFixtures.created;
import static dev.phaseline.application.contract.ContractFixtures.newId;
import static dev.phaseline.application.contract.ContractFixtures.newTenant;
import static dev.phaseline.application.contract.ContractFixtures.richJourney;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.FeedQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.Transition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventLog} must do: give a session's events in seq order without gaps, and give the feed in
 * position order, filtered by tenant and type, so that a reader who continues after the last position it saw misses
 * nothing and sees nothing twice, even while others commit.
 *
 * <p>Events reach the log only through {@link SessionStore#commit}, so a subclass supplies the store together with
 * its log through {@link #newStorage()}.
 */
public abstract class EventLogContract {

    private static final int WRITERS = 4;
    private static final int SESSIONS_PER_WRITER = 6;
    private static final int CUSTOM_EVENTS_PER_SESSION = 6;

    private SessionStore store;
    private EventLog log;

    /**
     * Called before each test.
     *
     * @return a store and its log holding no session and no event, isolated from every other test
     */
    protected abstract StorageUnderTest newStorage();

    @BeforeEach
    void openStorageUnderTest() {
        StorageUnderTest storage = newStorage();
        store = storage.store();
        log = storage.log();
    }

    // --- one session ----------------------------------------------------------------------------------------------

    @Test
    void reading_a_session_returns_its_events_in_seq_order_from_one_without_gap() {
        List<StoredEvent> committed = commit(richJourney(newId(), newTenant()));

        List<StoredEvent> read = log.readSession(committed.get(0).sessionId(), 0, 1000);

        assertThat(read).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(read).containsExactlyElementsOf(committed);
    }

    @Test
    void reading_a_session_after_a_seq_returns_only_later_events_up_to_the_limit() {
        List<StoredEvent> committed = commit(richJourney(newId(), newTenant()));
        SessionId id = committed.get(0).sessionId();

        assertThat(log.readSession(id, 3, 4)).extracting(StoredEvent::seq).containsExactly(4L, 5L, 6L, 7L);
        assertThat(log.readSession(id, 7, 100)).extracting(StoredEvent::seq).containsExactly(8L, 9L);
        assertThat(log.readSession(id, 0, 1)).containsExactly(committed.get(0));
        assertThat(log.readSession(id, 9, 100)).isEmpty();
        assertThat(log.readSession(id, 1000, 100)).isEmpty();
    }

    @Test
    void reading_a_session_returns_only_that_sessions_events() {
        String tenant = newTenant();
        Session one = created(newId(), tenant, at(0)).session();
        Session two = created(newId(), tenant, at(0)).session();
        List<StoredEvent> ofOne = new ArrayList<>(commit(List.of(created(one.id(), tenant, at(0)))));
        commit(List.of(created(two.id(), tenant, at(0))));
        Transition step = one.start(at(1));
        ofOne.addAll(commit(List.of(step)));
        one = step.session();
        step = two.start(at(1));
        commit(List.of(step));
        two = step.session();
        for (int i = 0; i < 5; i++) {
            step = one.appendEvent("step_" + i, null, at(2 + i));
            ofOne.addAll(commit(List.of(step)));
            one = step.session();
            step = two.appendEvent("other_" + i, null, at(2 + i));
            commit(List.of(step));
            two = step.session();
        }

        assertThat(log.readSession(one.id(), 0, 1000)).containsExactlyElementsOf(ofOne);
        assertThat(log.readSession(two.id(), 0, 1000)).extracting(StoredEvent::seq)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void reading_an_unknown_session_returns_nothing() {
        commit(richJourney(newId(), newTenant()));

        assertThat(log.readSession(newId(), 0, 100)).isEmpty();
    }

    // --- the feed -------------------------------------------------------------------------------------------------

    @Test
    void the_feed_returns_every_event_in_position_order_as_committed() {
        List<StoredEvent> committed = commitInterleaved(newTenant(), newTenant());

        List<StoredEvent> feed = log.readFeed(new FeedQuery(null, 0, Set.of(), 1000));

        assertThat(feed).containsExactlyElementsOf(committed);
        assertThat(feed).extracting(StoredEvent::position).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    }

    @Test
    void the_feed_after_a_position_returns_only_later_events() {
        List<StoredEvent> committed = commitInterleaved(newTenant(), newTenant());
        long after = committed.get(6).position();

        List<StoredEvent> feed = log.readFeed(new FeedQuery(null, after, Set.of(), 1000));

        assertThat(feed).containsExactlyElementsOf(committed.subList(7, committed.size()));
        assertThat(log.readFeed(new FeedQuery(null, committed.get(committed.size() - 1).position(), Set.of(), 10)))
                .isEmpty();
    }

    @Test
    void the_feed_of_a_tenant_holds_only_that_tenants_events() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        List<StoredEvent> committed = commitInterleaved(tenantA, tenantB);

        assertThat(log.readFeed(new FeedQuery(tenantA, 0, Set.of(), 1000)))
                .containsExactlyElementsOf(ofTenant(committed, tenantA)).isNotEmpty();
        assertThat(log.readFeed(new FeedQuery(tenantB, 0, Set.of(), 1000)))
                .containsExactlyElementsOf(ofTenant(committed, tenantB)).isNotEmpty();
        assertThat(log.readFeed(new FeedQuery(newTenant(), 0, Set.of(), 1000))).isEmpty();
    }

    @Test
    void the_feed_of_a_tenant_after_a_position_continues_where_the_reader_stopped() {
        String tenantA = newTenant();
        List<StoredEvent> ofA = ofTenant(commitInterleaved(tenantA, newTenant()), tenantA);

        List<StoredEvent> read = new ArrayList<>();
        long after = 0;
        for (int page = 0; page < 100; page++) {
            List<StoredEvent> events = log.readFeed(new FeedQuery(tenantA, after, Set.of(), 3));
            if (events.isEmpty()) {
                break;
            }
            assertThat(events).hasSizeLessThanOrEqualTo(3);
            read.addAll(events);
            after = events.get(events.size() - 1).position();
        }

        assertThat(read).containsExactlyElementsOf(ofA);
    }

    @Test
    void the_feed_filtered_by_types_holds_only_those_types() {
        List<StoredEvent> committed = commitInterleaved(newTenant(), newTenant());
        Set<String> types = Set.of(SessionEvent.STARTED, "agent_thinking");

        List<StoredEvent> feed = log.readFeed(new FeedQuery(null, 0, types, 1000));

        assertThat(feed).containsExactlyElementsOf(
                committed.stream().filter(event -> types.contains(event.type())).toList());
        assertThat(feed).extracting(StoredEvent::type).contains(SessionEvent.STARTED, "agent_thinking");
    }

    @Test
    void the_feed_of_a_tenant_filtered_by_type_holds_only_matching_events_of_that_tenant() {
        String tenantA = newTenant();
        List<StoredEvent> committed = commitInterleaved(tenantA, newTenant());

        List<StoredEvent> feed = log.readFeed(new FeedQuery(tenantA, 0, Set.of("agent_thinking"), 1000));

        assertThat(feed).isNotEmpty().containsExactlyElementsOf(ofTenant(committed, tenantA).stream()
                .filter(event -> event.type().equals("agent_thinking")).toList());
    }

    @Test
    void the_feed_returns_at_most_the_limit_counting_only_matching_events() {
        String tenantA = newTenant();
        List<StoredEvent> committed = commitInterleaved(tenantA, newTenant());
        List<StoredEvent> matching = ofTenant(committed, tenantA).stream()
                .filter(event -> event.type().equals("agent_thinking")).toList();

        assertThat(log.readFeed(new FeedQuery(null, 0, Set.of(), 5))).containsExactlyElementsOf(
                committed.subList(0, 5));
        assertThat(log.readFeed(new FeedQuery(tenantA, 0, Set.of("agent_thinking"), 2)))
                .containsExactlyElementsOf(matching.subList(0, 2));
    }

    @Test
    void positions_are_unique_and_increasing_across_sessions() {
        String tenant = newTenant();
        List<Session> sessions = new ArrayList<>();
        List<StoredEvent> committed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Transition creation = created(newId(), i % 2 == 0 ? tenant : newTenant(), at(i));
            committed.addAll(store.commit(changeOf(creation)));
            sessions.add(creation.session());
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < sessions.size(); i++) {
                Session current = sessions.get(i);
                Transition next = round == 0 ? current.start(at(10 + i))
                        : current.appendEvent("round_" + round, null, at(10 * round + i));
                committed.addAll(store.commit(changeOf(next)));
                sessions.set(i, next.session());
            }
        }

        assertThat(committed).extracting(StoredEvent::position).doesNotHaveDuplicates()
                .isSortedAccordingTo(Long::compare).allSatisfy(position -> assertThat(position).isPositive());
    }

    @Test
    void a_feed_reader_continuing_after_the_last_position_sees_every_event_exactly_once_while_others_commit()
            throws Exception {
        String tenant = newTenant();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<List<StoredEvent>>> written = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                final int writer = w;
                written.add(writers.submit(() -> write(tenant, writer)));
            }

            List<StoredEvent> seen = new ArrayList<>();
            long after = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                // Completion is noted before the read, so a read after it is a final read.
                boolean writersDone = written.stream().allMatch(Future::isDone);
                List<StoredEvent> page = log.readFeed(new FeedQuery(tenant, after, Set.of(), 7));
                for (StoredEvent event : page) {
                    assertThat(event.position()).as("position after %d", after).isGreaterThan(after);
                    after = event.position();
                    seen.add(event);
                }
                if (writersDone && page.isEmpty()) {
                    break;
                }
                assertThat(System.nanoTime()).as("the reader finished in time").isLessThan(deadline);
            }

            List<StoredEvent> committed = new ArrayList<>();
            for (Future<List<StoredEvent>> future : written) {
                committed.addAll(result(future));
            }
            committed.sort(Comparator.comparingLong(StoredEvent::position));
            assertThat(committed).hasSize(WRITERS * SESSIONS_PER_WRITER * (2 + CUSTOM_EVENTS_PER_SESSION));
            assertThat(new HashSet<>(seen)).as("no event seen twice").hasSameSizeAs(seen);
            assertThat(seen).containsExactlyElementsOf(committed);
        } finally {
            writers.shutdownNow();
        }
    }

    // --- the head -------------------------------------------------------------------------------------------------

    @Test
    void the_head_of_an_empty_log_is_zero() {
        assertThat(log.headPosition()).isZero();
    }

    @Test
    void the_head_after_commits_is_the_last_position_the_feed_returns() {
        List<StoredEvent> committed = commitInterleaved(newTenant(), newTenant());

        List<StoredEvent> feed = log.readFeed(new FeedQuery(null, 0, Set.of(), 1000));

        assertThat(log.headPosition())
                .isEqualTo(feed.get(feed.size() - 1).position())
                .isEqualTo(committed.get(committed.size() - 1).position());
    }

    @Test
    void a_feed_read_after_the_head_returns_only_later_commits() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        commitInterleaved(tenantA, tenantB);
        long head = log.headPosition();

        List<StoredEvent> later = commitInterleaved(tenantA, tenantB);

        assertThat(log.readFeed(new FeedQuery(null, head, Set.of(), 1000))).containsExactlyElementsOf(later);
        assertThat(log.readFeed(new FeedQuery(tenantA, head, Set.of(), 1000)))
                .containsExactlyElementsOf(ofTenant(later, tenantA));
        assertThat(log.readFeed(new FeedQuery(null, head, Set.of(SessionEvent.STARTED), 1000)))
                .containsExactlyElementsOf(later.stream()
                        .filter(event -> event.type().equals(SessionEvent.STARTED)).toList());
        assertThat(log.headPosition()).isEqualTo(later.get(later.size() - 1).position());
    }

    @Test
    void a_head_taken_while_others_commit_is_below_every_commit_that_begins_after_it() throws Exception {
        String tenant = newTenant();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<List<StoredEvent>>> written = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                final int writer = w;
                written.add(writers.submit(() -> write(tenant, writer)));
            }
            List<Long> heads = new ArrayList<>();
            List<List<StoredEvent>> feedsAfterHeads = new ArrayList<>();
            while (!written.stream().allMatch(Future::isDone) && heads.size() < 200) {
                long head = log.headPosition();
                assertThat(head).as("the head never moves back").isGreaterThanOrEqualTo(
                        heads.isEmpty() ? 0 : heads.get(heads.size() - 1));
                heads.add(head);
                // Everything up to the head is readable now: a reader starting from 0 reaches it.
                List<StoredEvent> upToHead = log.readFeed(new FeedQuery(tenant, 0, Set.of(), 10_000));
                if (head > 0) {
                    assertThat(upToHead).extracting(StoredEvent::position).contains(head);
                }
                feedsAfterHeads.add(upToHead.stream().filter(event -> event.position() <= head).toList());
            }

            List<StoredEvent> committed = new ArrayList<>();
            for (Future<List<StoredEvent>> future : written) {
                committed.addAll(result(future));
            }
            committed.sort(Comparator.comparingLong(StoredEvent::position));
            List<StoredEvent> all = log.readFeed(new FeedQuery(tenant, 0, Set.of(), 10_000));
            assertThat(all).containsExactlyElementsOf(committed);
            for (int i = 0; i < heads.size(); i++) {
                long head = heads.get(i);
                // What a reader continuing after the head gets, plus what was readable up to it, is everything.
                List<StoredEvent> joined = new ArrayList<>(feedsAfterHeads.get(i));
                joined.addAll(log.readFeed(new FeedQuery(tenant, head, Set.of(), 10_000)));
                assertThat(joined).as("read up to head %d, then after it", head).containsExactlyElementsOf(all);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private List<StoredEvent> write(String tenant, int writer) {
        List<StoredEvent> events = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        for (int s = 0; s < SESSIONS_PER_WRITER; s++) {
            Transition creation = created(newId(), tenant, at(s));
            events.addAll(store.commit(changeOf(creation)));
            Transition start = creation.session().start(at(s + 1));
            events.addAll(store.commit(changeOf(start)));
            sessions.add(start.session());
        }
        for (int e = 0; e < CUSTOM_EVENTS_PER_SESSION; e++) {
            for (int s = 0; s < sessions.size(); s++) {
                Transition append = sessions.get(s).appendEvent("agent_thinking",
                        JsonValue.object(Map.of("writer", JsonValue.of(writer), "n", JsonValue.of(e))), at(10 + e));
                events.addAll(store.commit(changeOf(append)));
                sessions.set(s, append.session());
            }
        }
        return events;
    }

    private static List<StoredEvent> result(Future<List<StoredEvent>> future) throws InterruptedException {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("a writer failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a writer did not finish within 60 s", e);
        }
    }

    private List<StoredEvent> commit(List<Transition> transitions) {
        List<StoredEvent> events = new ArrayList<>();
        for (Transition transition : transitions) {
            events.addAll(store.commit(changeOf(transition)));
        }
        return events;
    }

    /**
     * Commits three sessions of tenant A and two of tenant B, interleaved, each created, started and given custom
     * events.
     *
     * @return every committed event in commit order
     */
    private List<StoredEvent> commitInterleaved(String tenantA, String tenantB) {
        List<Session> sessions = new ArrayList<>();
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Transition creation = created(newId(), i % 2 == 0 ? tenantA : tenantB, at(i));
            events.addAll(store.commit(changeOf(creation)));
            sessions.add(creation.session());
        }
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < sessions.size(); i++) {
                Session current = sessions.get(i);
                Transition next = step == 0 ? current.start(at(10 + i))
                        : current.appendEvent(step == 1 ? "agent_thinking" : "tool_executing", null,
                                at(10 * step + i));
                events.addAll(store.commit(changeOf(next)));
                sessions.set(i, next.session());
            }
        }
        return events;
    }

    private static List<StoredEvent> ofTenant(List<StoredEvent> events, String tenant) {
        return events.stream().filter(event -> event.tenantId().equals(tenant)).toList();
    }
}
