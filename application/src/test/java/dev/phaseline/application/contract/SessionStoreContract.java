package dev.phaseline.application.contract;

import static dev.phaseline.application.contract.ContractFixtures.assertSameSession;
import static dev.phaseline.application.contract.ContractFixtures.assertSameSessions;
import static dev.phaseline.application.contract.ContractFixtures.at;
import static dev.phaseline.application.contract.ContractFixtures.changeOf;
import static dev.phaseline.application.contract.ContractFixtures.created;
import static dev.phaseline.application.contract.ContractFixtures.newId;
import static dev.phaseline.application.contract.ContractFixtures.newIdStartingWith;
import static dev.phaseline.application.contract.ContractFixtures.newTenant;
import static dev.phaseline.application.contract.ContractFixtures.richJourney;
import static dev.phaseline.application.contract.ContractFixtures.richJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.FeedQuery;
import dev.phaseline.application.port.SessionCursor;
import dev.phaseline.application.port.SessionListQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.application.port.VersionConflictException;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import dev.phaseline.domain.Transition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link SessionStore} must do: keep sessions exactly, store a state and its events as one unit, refuse
 * stale and duplicate changes, move heartbeats without a version, list newest first with keyset paging, and find
 * stale sessions.
 *
 * <p>A subclass supplies fresh storage for each test through {@link #newStorage()}.
 */
public abstract class SessionStoreContract {

    private static final Set<SessionStatus> EVERY_STATUS = EnumSet.allOf(SessionStatus.class);
    private static final int THREADS = 8;

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

    // --- keeping sessions exactly ---------------------------------------------------------------------------------

    @Test
    void a_created_session_is_found_equal_to_what_was_committed() {
        Transition creation = Session.create(newId(), newTenant(), "owner-1", "demo", "A title", richJson(), at(0));

        store.commit(changeOf(creation));

        assertSameSession(store.find(creation.session().id()).orElseThrow(), creation.session());
    }

    @Test
    void a_session_with_phase_progress_cost_answers_and_a_pause_with_questions_is_found_with_every_field() {
        List<Transition> journey = richJourney(newId(), newTenant());
        Session last = commitAll(journey);

        Session found = store.find(last.id()).orElseThrow();

        assertSameSession(found, last);
        assertThat(found.pause().questions()).extracting(Question::required).containsExactly(true, false);
        assertThat(found.answers()).containsOnlyKeys("q1", "q2");
        assertThat(found.input()).isEqualTo(richJson());
    }

    @Test
    void a_completed_session_is_found_with_its_result_and_end_time() {
        Session running = commitAll(List.of(created(newId(), newTenant(), at(0))), s -> s.start(at(1)));
        Transition completion = running.complete(richJson(), at(2));

        store.commit(changeOf(completion));

        assertSameSession(store.find(running.id()).orElseThrow(), completion.session());
    }

    @Test
    void a_failed_session_is_found_with_its_failure() {
        Session running = commitAll(List.of(created(newId(), newTenant(), at(0))), s -> s.start(at(1)));
        Transition failure = running.fail("model_timeout", "took too long\nretry later", at(2));

        store.commit(changeOf(failure));

        assertSameSession(store.find(running.id()).orElseThrow(), failure.session());
    }

    @Test
    void a_killed_session_is_found_with_its_end_time() {
        Transition creation = created(newId(), newTenant(), at(0));
        Session killed = commitAll(List.of(creation), s -> s.kill("admin-7", "stuck", at(1)));

        assertSameSession(store.find(killed.id()).orElseThrow(), killed);
    }

    @Test
    void finding_an_unknown_id_returns_empty() {
        store.commit(changeOf(created(newId(), newTenant(), at(0))));

        assertThat(store.find(newId())).isEmpty();
    }

    // --- commits and their events ---------------------------------------------------------------------------------

    @Test
    void commit_returns_the_events_with_their_seqs_types_data_tenant_and_increasing_positions() {
        String tenant = newTenant();
        Transition creation = Session.create(newId(), tenant, "owner-1", null, null, richJson(), at(0));
        Transition start = creation.session().start(at(1));
        Transition custom = start.session().appendEvent("agent_started", richJson(), at(2));
        Transition deletion = custom.session().delete("owner-1", at(3));

        List<StoredEvent> returned = new ArrayList<>();
        for (Transition transition : List.of(creation, start, custom, deletion)) {
            List<StoredEvent> events = store.commit(changeOf(transition));
            assertThat(events).hasSameSizeAs(transition.events());
            for (int i = 0; i < events.size(); i++) {
                StoredEvent event = events.get(i);
                assertThat(event).isEqualTo(StoredEvent.of(transition.events().get(i), tenant, event.position()));
            }
            returned.addAll(events);
        }

        assertThat(returned).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(returned).extracting(StoredEvent::type).containsExactly(SessionEvent.CREATED,
                SessionEvent.STARTED, "agent_started", SessionEvent.KILLED, SessionEvent.DELETED);
        assertThat(returned).extracting(StoredEvent::position).allSatisfy(p -> assertThat(p).isPositive())
                .isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(returned.get(2).data()).isEqualTo(richJson());
    }

    @Test
    void the_log_holds_exactly_what_the_commits_returned() {
        List<Transition> journey = richJourney(newId(), newTenant());
        List<StoredEvent> returned = new ArrayList<>();
        for (Transition transition : journey) {
            returned.addAll(store.commit(changeOf(transition)));
        }

        SessionId id = journey.get(0).session().id();
        assertThat(log.readSession(id, 0, 1000)).containsExactlyElementsOf(returned);
    }

    @Test
    void deleting_an_active_session_stores_both_the_killed_and_the_deleted_event() {
        Session running = commitAll(List.of(created(newId(), newTenant(), at(0))), s -> s.start(at(1)));
        Transition deletion = running.delete("owner-1", at(2));

        List<StoredEvent> events = store.commit(changeOf(deletion));

        assertThat(events).extracting(StoredEvent::type).containsExactly(SessionEvent.KILLED, SessionEvent.DELETED);
        assertThat(events).extracting(StoredEvent::seq).containsExactly(3L, 4L);
        assertThat(events.get(1).position()).isGreaterThan(events.get(0).position());
        assertThat(log.readSession(running.id(), 2, 10)).containsExactlyElementsOf(events);
        assertSameSession(store.find(running.id()).orElseThrow(), deletion.session());
        assertThat(store.find(running.id()).orElseThrow().version()).isEqualTo(4);
    }

    @Test
    void deleting_a_finished_session_stores_only_the_deleted_event() {
        Session killed = commitAll(List.of(created(newId(), newTenant(), at(0))),
                s -> s.kill("admin", null, at(1)));
        Transition deletion = killed.delete("admin", at(2));

        List<StoredEvent> events = store.commit(changeOf(deletion));

        assertThat(events).extracting(StoredEvent::type).containsExactly(SessionEvent.DELETED);
        assertThat(log.readSession(killed.id(), 0, 10)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L);
    }

    // --- optimistic concurrency -----------------------------------------------------------------------------------

    @Test
    void creating_a_session_with_an_existing_id_is_a_version_conflict_and_changes_nothing() {
        SessionId id = newId();
        Transition original = Session.create(id, newTenant(), "owner-1", null, "original", null, at(0));
        store.commit(changeOf(original));
        List<StoredEvent> feedBefore = wholeFeed();

        Transition duplicate = Session.create(id, newTenant(), "owner-2", "other", "duplicate", richJson(), at(1));

        assertThatThrownBy(() -> store.commit(changeOf(duplicate))).isInstanceOf(VersionConflictException.class);
        assertSameSession(store.find(id).orElseThrow(), original.session());
        assertThat(log.readSession(id, 0, 10)).extracting(StoredEvent::tenantId)
                .containsExactly(original.session().tenantId());
        assertThat(wholeFeed()).isEqualTo(feedBefore);
    }

    @Test
    void a_change_decided_on_a_stale_version_is_a_version_conflict_and_stores_nothing() {
        Session created = commitAll(List.of(created(newId(), newTenant(), at(0))));
        Session running = commitAll(List.of(created.start(at(1))));
        Session current = commitAll(List.of(running.appendEvent("agent_started", null, at(2))));
        List<StoredEvent> feedBefore = wholeFeed();

        Transition stale = running.appendEvent("must_not_be_stored", richJson(), at(3));

        assertThatThrownBy(() -> store.commit(changeOf(stale))).isInstanceOf(VersionConflictException.class);
        assertSameSession(store.find(current.id()).orElseThrow(), current);
        assertThat(log.readSession(current.id(), 0, 10)).extracting(StoredEvent::type)
                .containsExactly(SessionEvent.CREATED, SessionEvent.STARTED, "agent_started");
        assertThat(wholeFeed()).isEqualTo(feedBefore);
    }

    @Test
    void a_change_claiming_a_newer_version_than_the_stored_one_is_a_version_conflict() {
        Session created = commitAll(List.of(created(newId(), newTenant(), at(0))));
        Transition start = created.start(at(1));
        Transition ahead = start.session().appendEvent("from_the_future", null, at(2));

        assertThatThrownBy(() -> store.commit(changeOf(ahead))).isInstanceOf(VersionConflictException.class);
        assertSameSession(store.find(created.id()).orElseThrow(), created);
        assertThat(log.readSession(created.id(), 0, 10)).hasSize(1);
    }

    @Test
    void a_change_to_a_session_that_was_never_created_is_a_version_conflict() {
        Transition creation = created(newId(), newTenant(), at(0));
        Transition start = creation.session().start(at(1));

        assertThatThrownBy(() -> store.commit(changeOf(start))).isInstanceOf(VersionConflictException.class);
        assertThat(store.find(creation.session().id())).isEmpty();
        assertThat(log.readSession(creation.session().id(), 0, 10)).isEmpty();
        assertThat(wholeFeed()).isEmpty();
    }

    @Test
    void the_state_and_its_events_are_stored_as_one_unit() {
        List<Transition> journey = richJourney(newId(), newTenant());
        SessionId id = journey.get(0).session().id();
        for (Transition transition : journey) {
            store.commit(changeOf(transition));
            Session found = store.find(id).orElseThrow();
            List<StoredEvent> events = log.readSession(id, 0, 1000);
            assertThat(events).extracting(StoredEvent::seq)
                    .containsExactlyElementsOf(seqsUpTo(found.version()));
            assertThat(found.lastEventSeq()).isEqualTo(found.version());
        }

        Session current = store.find(id).orElseThrow();
        Transition rejected = journey.get(journey.size() - 2).session().appendEvent("rejected_change", null, at(99));
        assertThatThrownBy(() -> store.commit(changeOf(rejected))).isInstanceOf(VersionConflictException.class);

        assertThat(log.readSession(id, 0, 1000)).extracting(StoredEvent::type).doesNotContain("rejected_change")
                .hasSize((int) current.version());
        assertThat(wholeFeed()).extracting(StoredEvent::type).doesNotContain("rejected_change");
        assertSameSession(store.find(id).orElseThrow(), current);
    }

    @Test
    void of_concurrent_changes_decided_on_the_same_version_exactly_one_wins() throws Exception {
        String tenant = newTenant();
        for (int round = 0; round < 5; round++) {
            Session running = commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(1)));
            List<Transition> contenders = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                contenders.add(i % 2 == 0
                        ? running.appendEvent("contender_" + i, JsonValue.object(Map.of("i", JsonValue.of(i))), at(2))
                        : running.pause("contender " + i, at(2)));
            }

            List<Outcome> outcomes = race(contenders.stream()
                    .<Callable<List<StoredEvent>>>map(t -> () -> store.commit(changeOf(t))).toList());

            assertExactlyOneWon(outcomes);
            Transition winner = contenders.get(winnerIndex(outcomes));
            assertSameSession(store.find(running.id()).orElseThrow(), winner.session());
            assertThat(log.readSession(running.id(), 0, 100)).hasSize(3).last()
                    .isEqualTo(outcomes.get(winnerIndex(outcomes)).events().get(0));
        }
    }

    @Test
    void of_concurrent_creations_with_the_same_id_exactly_one_wins() throws Exception {
        String tenant = newTenant();
        for (int round = 0; round < 5; round++) {
            SessionId id = newId();
            List<Transition> contenders = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                contenders.add(Session.create(id, tenant, "owner-" + i, null, null, null, at(i)));
            }

            List<Outcome> outcomes = race(contenders.stream()
                    .<Callable<List<StoredEvent>>>map(t -> () -> store.commit(changeOf(t))).toList());

            assertExactlyOneWon(outcomes);
            Transition winner = contenders.get(winnerIndex(outcomes));
            assertSameSession(store.find(id).orElseThrow(), winner.session());
            assertThat(log.readSession(id, 0, 100)).containsExactlyElementsOf(
                    outcomes.get(winnerIndex(outcomes)).events());
        }
    }

    // --- heartbeats -----------------------------------------------------------------------------------------------

    @Test
    void a_heartbeat_moves_only_the_last_heartbeat_of_a_running_session() {
        Session running = commitAll(List.of(created(newId(), newTenant(), at(0))), s -> s.start(at(1)));

        assertThat(store.recordHeartbeat(running.id(), at(50))).isTrue();

        Session found = store.find(running.id()).orElseThrow();
        assertSameSession(found, running.heartbeat(at(50)));
        assertThat(found.version()).isEqualTo(running.version());
        assertThat(log.readSession(running.id(), 0, 10)).hasSize(2);
    }

    @Test
    void a_heartbeat_leaves_the_version_so_a_change_decided_on_it_still_commits() {
        Session running = commitAll(List.of(created(newId(), newTenant(), at(0))), s -> s.start(at(1)));
        store.recordHeartbeat(running.id(), at(50));
        Session found = store.find(running.id()).orElseThrow();

        Transition progress = found.recordProgress(1, 10, null, at(51));
        store.commit(changeOf(progress));

        assertSameSession(store.find(running.id()).orElseThrow(), progress.session());
    }

    @Test
    void a_heartbeat_for_a_session_that_is_not_running_returns_false_and_changes_nothing() {
        String tenant = newTenant();
        Session created = commitAll(List.of(created(newId(), tenant, at(0))));
        Session paused = commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(1)),
                s -> s.pause(null, at(2)));
        Session completed = commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(1)),
                s -> s.complete(null, at(2)));

        for (Session session : List.of(created, paused, completed)) {
            assertThat(store.recordHeartbeat(session.id(), at(50))).as(session.status().wireName()).isFalse();
            assertSameSession(store.find(session.id()).orElseThrow(), session);
        }
    }

    @Test
    void a_heartbeat_for_an_unknown_session_returns_false() {
        assertThat(store.recordHeartbeat(newId(), at(50))).isFalse();
    }

    // --- listing --------------------------------------------------------------------------------------------------

    @Test
    void listing_returns_newest_first_with_ties_on_creation_time_broken_by_id_descending_as_lowercase_text() {
        String tenant = newTenant();
        List<Session> sessions = new ArrayList<>();
        // Ids around the sign bit: a signed UUID comparison would order 8… and f… before 0… and 7….
        for (char first : new char[] {'0', '7', '8', 'f', 'a', '1'}) {
            sessions.add(commitAll(List.of(created(newIdStartingWith(first), tenant, at(10)))));
        }
        sessions.add(commitAll(List.of(created(newIdStartingWith('0'), tenant, at(20)))));
        sessions.add(commitAll(List.of(created(newIdStartingWith('f'), tenant, at(5)))));

        List<Session> listed = store.list(query(tenant, null, EVERY_STATUS, null, null, 100));

        List<Session> expected = sessions.stream().sorted(SessionCursor.NEWEST_FIRST).toList();
        assertSameSessions(listed, expected);
        assertThat(listed.get(0).createdAt()).isEqualTo(at(20));
        assertThat(listed.subList(1, 7)).extracting(s -> s.id().toString().charAt(0))
                .containsExactly('f', 'a', '8', '7', '1', '0');
    }

    @ParameterizedTest(name = "pages of {0}")
    @ValueSource(ints = {1, 7, 37, 50})
    void keyset_paging_after_the_last_session_of_each_page_covers_every_session_exactly_once(int pageSize) {
        String tenant = newTenant();
        String otherTenant = newTenant();
        List<Session> sessions = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(37));
        for (int i : order) {
            // Groups of three share a creation time, so ties must be broken by id across page boundaries.
            sessions.add(commitAll(List.of(created(newId(), tenant, at(i / 3)))));
            if (i % 5 == 0) {
                commitAll(List.of(created(newId(), otherTenant, at(i / 3))));
            }
        }

        List<Session> seen = new ArrayList<>();
        SessionCursor after = null;
        for (int pages = 0; pages <= 38; pages++) {
            List<Session> page = store.list(query(tenant, null, EVERY_STATUS, null, after, pageSize));
            assertThat(page).hasSizeLessThanOrEqualTo(pageSize);
            seen.addAll(page);
            if (page.size() < pageSize) {
                break;
            }
            after = SessionCursor.after(page.get(page.size() - 1));
        }

        assertSameSessions(seen, sessions.stream().sorted(SessionCursor.NEWEST_FIRST).toList());
    }

    @Test
    void listing_filters_by_tenant_and_a_null_tenant_lists_every_tenant() {
        Mix mix = storeMix();

        assertSameSessions(store.list(query(mix.tenantA, null, EVERY_STATUS, null, null, 100)),
                newestFirst(mix.inA()));
        assertSameSessions(store.list(query(mix.tenantB, null, EVERY_STATUS, null, null, 100)),
                newestFirst(List.of(mix.bRunning)));
        assertSameSessions(store.list(query(null, null, EVERY_STATUS, null, null, 100)), newestFirst(mix.all()));
    }

    @Test
    void listing_filters_by_owner() {
        Mix mix = storeMix();

        assertSameSessions(store.list(query(mix.tenantA, "alice", EVERY_STATUS, null, null, 100)),
                newestFirst(List.of(mix.aliceCreated, mix.aliceRunning, mix.aliceFailed, mix.aliceDeleted)));
        assertSameSessions(store.list(query(null, "alice", EVERY_STATUS, null, null, 100)),
                newestFirst(List.of(mix.aliceCreated, mix.aliceRunning, mix.aliceFailed, mix.aliceDeleted,
                        mix.bRunning)));
        assertThat(store.list(query(mix.tenantA, "nobody", EVERY_STATUS, null, null, 100))).isEmpty();
    }

    @Test
    void listing_filters_by_status() {
        Mix mix = storeMix();

        assertSameSessions(store.list(query(mix.tenantA, null, EnumSet.of(SessionStatus.RUNNING,
                SessionStatus.PAUSED), null, null, 100)), newestFirst(List.of(mix.aliceRunning, mix.bobPaused)));
        assertSameSessions(store.list(query(mix.tenantA, null, EnumSet.of(SessionStatus.DELETED), null, null, 100)),
                List.of(mix.aliceDeleted));
        assertSameSessions(store.list(query(mix.tenantA, null, EnumSet.complementOf(EnumSet.of(
                SessionStatus.DELETED)), null, null, 100)), newestFirst(List.of(mix.aliceCreated, mix.aliceRunning,
                        mix.bobPaused, mix.bobCompleted, mix.aliceFailed)));
        assertThat(store.list(query(mix.tenantA, null, EnumSet.of(SessionStatus.KILLED), null, null, 100)))
                .isEmpty();
    }

    @Test
    void listing_filters_by_workflow() {
        Mix mix = storeMix();

        assertSameSessions(store.list(query(mix.tenantA, null, EVERY_STATUS, "demo", null, 100)),
                newestFirst(List.of(mix.aliceRunning, mix.bobPaused)));
        assertThat(store.list(query(mix.tenantA, null, EVERY_STATUS, "unknown", null, 100))).isEmpty();
    }

    @Test
    void listing_combines_every_filter() {
        Mix mix = storeMix();

        assertSameSessions(store.list(query(mix.tenantA, "bob", EnumSet.of(SessionStatus.COMPLETED),
                Session.DEFAULT_WORKFLOW, null, 100)), List.of(mix.bobCompleted));
        assertThat(store.list(query(mix.tenantA, "bob", EnumSet.of(SessionStatus.COMPLETED), "demo", null, 100)))
                .isEmpty();
    }

    @Test
    void listing_returns_at_most_the_limit_of_the_newest_sessions() {
        Mix mix = storeMix();

        assertSameSessions(store.list(query(mix.tenantA, null, EVERY_STATUS, null, null, 2)),
                newestFirst(mix.inA()).subList(0, 2));
    }

    // --- stale sessions -------------------------------------------------------------------------------------------

    @Test
    void stale_sessions_are_the_running_ones_whose_last_heartbeat_is_before_the_cutoff_oldest_first() {
        String tenant = newTenant();
        Session startedAt10 = commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(10)));
        Session startedAt30 = commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(30)));
        Session startedAt3 = commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(3)));
        Session heartbeatAtCutoff = commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(35)));
        Session activeAt40 = commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(4)),
                s -> s.appendEvent("agent_thinking", null, at(40)));
        Session beatAt100 = commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(2)));
        store.recordHeartbeat(beatAt100.id(), at(100));
        commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(1)), s -> s.pause(null, at(2)));
        commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(1)), s -> s.complete(null, at(2)));
        commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(1)), s -> s.fail("boom", null, at(2)));
        commitAll(List.of(created(newId(), tenant, at(0))));

        List<Session> stale = store.findStale(at(35), 100);

        assertSameSessions(stale, List.of(startedAt3, startedAt10, startedAt30));
        assertThat(stale).extracting(Session::id).doesNotContain(heartbeatAtCutoff.id(), activeAt40.id(),
                beatAt100.id());
    }

    @Test
    void finding_stale_sessions_returns_at_most_the_limit_of_the_oldest() {
        String tenant = newTenant();
        List<Session> running = new ArrayList<>();
        for (int i = 5; i >= 1; i--) {
            final int start = i;
            running.add(commitAll(List.of(created(newId(), tenant, at(0))), s -> s.start(at(start))));
        }

        List<Session> stale = store.findStale(at(100), 2);

        assertThat(stale).extracting(Session::id).containsExactly(running.get(4).id(), running.get(3).id());
    }

    @Test
    void a_recorded_heartbeat_keeps_a_session_from_being_stale() {
        Session running = commitAll(List.of(created(newId(), newTenant(), at(0))), s -> s.start(at(1)));
        assertThat(store.findStale(at(10), 10)).extracting(Session::id).containsExactly(running.id());

        store.recordHeartbeat(running.id(), at(20));

        assertThat(store.findStale(at(10), 10)).isEmpty();
        assertThat(store.findStale(at(21), 10)).extracting(Session::lastHeartbeatAt).containsExactly(at(20));
    }

    // --- counts ---------------------------------------------------------------------------------------------------

    @Test
    void sessions_are_counted_by_tenant_and_status() {
        Mix mix = storeMix();
        commitAll(List.of(created(newId(), mix.tenantA, at(0))));

        Map<String, Map<SessionStatus, Long>> counts = store.countByTenantAndStatus();

        assertThat(withoutZeros(counts.get(mix.tenantA))).isEqualTo(Map.of(SessionStatus.CREATED, 2L,
                SessionStatus.RUNNING, 1L, SessionStatus.PAUSED, 1L, SessionStatus.COMPLETED, 1L,
                SessionStatus.FAILED, 1L, SessionStatus.DELETED, 1L));
        assertThat(withoutZeros(counts.get(mix.tenantB))).isEqualTo(Map.of(SessionStatus.RUNNING, 1L));
        assertThat(counts).containsOnlyKeys(mix.tenantA, mix.tenantB);
    }

    @Test
    void an_empty_store_counts_nothing() {
        assertThat(store.countByTenantAndStatus().values()).allSatisfy(
                byStatus -> assertThat(withoutZeros(byStatus)).isEmpty());
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /**
     * Commits the given transitions, then each further step applied to the latest session.
     *
     * @return the latest session
     */
    @SafeVarargs
    private Session commitAll(List<Transition> transitions, Function<Session, Transition>... steps) {
        Session latest = null;
        for (Transition transition : transitions) {
            store.commit(changeOf(transition));
            latest = transition.session();
        }
        for (Function<Session, Transition> step : steps) {
            Transition transition = step.apply(latest);
            store.commit(changeOf(transition));
            latest = transition.session();
        }
        return latest;
    }

    private List<StoredEvent> wholeFeed() {
        return log.readFeed(new FeedQuery(null, 0, Set.of(), 100_000));
    }

    private static List<Long> seqsUpTo(long last) {
        List<Long> seqs = new ArrayList<>();
        for (long seq = 1; seq <= last; seq++) {
            seqs.add(seq);
        }
        return seqs;
    }

    private static SessionListQuery query(String tenant, String owner, Set<SessionStatus> statuses, String workflow,
            SessionCursor after, int limit) {
        return new SessionListQuery(tenant, owner, statuses, workflow, after, limit);
    }

    private static List<Session> newestFirst(List<Session> sessions) {
        return sessions.stream().sorted(SessionCursor.NEWEST_FIRST).toList();
    }

    private static Map<SessionStatus, Long> withoutZeros(Map<SessionStatus, Long> counts) {
        Map<SessionStatus, Long> nonZero = new EnumMap<>(SessionStatus.class);
        if (counts != null) {
            counts.forEach((status, count) -> {
                if (count != 0) {
                    nonZero.put(status, count);
                }
            });
        }
        return nonZero;
    }

    /** Sessions of two tenants in most statuses, two owners and two workflows, created at distinct times. */
    private record Mix(String tenantA, String tenantB, Session aliceCreated, Session aliceRunning, Session bobPaused,
            Session bobCompleted, Session aliceFailed, Session aliceDeleted, Session bRunning) {

        List<Session> inA() {
            return List.of(aliceCreated, aliceRunning, bobPaused, bobCompleted, aliceFailed, aliceDeleted);
        }

        List<Session> all() {
            List<Session> all = new ArrayList<>(inA());
            all.add(bRunning);
            return all;
        }
    }

    private Mix storeMix() {
        String a = newTenant();
        String b = newTenant();
        Session aliceCreated = commitAll(List.of(Session.create(newId(), a, "alice", null, null, null, at(1))));
        Session aliceRunning = commitAll(List.of(Session.create(newId(), a, "alice", "demo", null, null, at(2))),
                s -> s.start(at(20)));
        Session bobPaused = commitAll(List.of(Session.create(newId(), a, "bob", "demo", null, null, at(3))),
                s -> s.start(at(20)), s -> s.pause("lunch", at(21)));
        Session bobCompleted = commitAll(List.of(Session.create(newId(), a, "bob", null, null, null, at(4))),
                s -> s.start(at(20)), s -> s.complete(null, at(21)));
        Session aliceFailed = commitAll(List.of(Session.create(newId(), a, "alice", null, null, null, at(5))),
                s -> s.fail("boom", "it broke", at(20)));
        Session aliceDeleted = commitAll(List.of(Session.create(newId(), a, "alice", null, null, null, at(6))),
                s -> s.delete("alice", at(20)));
        Session bRunning = commitAll(List.of(Session.create(newId(), b, "alice", null, null, null, at(7))),
                s -> s.start(at(20)));
        return new Mix(a, b, aliceCreated, aliceRunning, bobPaused, bobCompleted, aliceFailed, aliceDeleted,
                bRunning);
    }

    /** How one contender of a race ended: with its stored events, or with an exception. */
    private record Outcome(List<StoredEvent> events, Throwable failure) {
    }

    private static List<Outcome> race(List<Callable<List<StoredEvent>>> contenders) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(contenders.size());
        try {
            CountDownLatch ready = new CountDownLatch(contenders.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<StoredEvent>>> futures = new ArrayList<>();
            for (Callable<List<StoredEvent>> contender : contenders) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return contender.call();
                }));
            }
            ready.await(10, TimeUnit.SECONDS);
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<List<StoredEvent>> future : futures) {
                try {
                    outcomes.add(new Outcome(future.get(30, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome(null, e.getCause()));
                } catch (TimeoutException e) {
                    throw new AssertionError("a commit did not return within 30 s", e);
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertExactlyOneWon(List<Outcome> outcomes) {
        assertThat(outcomes).filteredOn(outcome -> outcome.failure() == null).as("winners").hasSize(1);
        assertThat(outcomes).filteredOn(outcome -> outcome.failure() != null).extracting(Outcome::failure)
                .as("losers").allSatisfy(failure -> assertThat(failure).isInstanceOf(VersionConflictException.class));
    }

    private static int winnerIndex(List<Outcome> outcomes) {
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).failure() == null) {
                return i;
            }
        }
        throw new AssertionError("no winner");
    }
}
