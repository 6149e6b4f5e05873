package dev.phaseline.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.FeedQuery;
import dev.phaseline.application.port.SessionChange;
import dev.phaseline.application.port.SessionCursor;
import dev.phaseline.application.port.SessionListQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.application.port.VersionConflictException;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.PhaseOrder;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import dev.phaseline.domain.Transition;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store and log on real PostgreSQL: round trips, optimistic locking, queries, no cache, feed safety. */
class PostgresSessionStoreIT {

    private static TestDatabases.TestDatabase database;
    private static PostgresAdapter adapter;
    private static SessionStore store;
    private static EventLog log;

    private final Instant t0 = Instant.parse("2030-01-01T10:00:00.123456Z");

    @BeforeAll
    static void startAdapter() {
        database = TestDatabases.create();
        adapter = PostgresAdapter.start(database.settings());
        store = adapter.sessionStore();
        log = adapter.eventLog();
    }

    @AfterAll
    static void closeAdapter() {
        adapter.close();
    }

    @BeforeEach
    void emptyTables() {
        database.execute("TRUNCATE session_events, sessions");
    }

    private static SessionId newId() {
        return new SessionId(UUID.randomUUID());
    }

    private Transition created(String tenant, String owner, Instant at) {
        return Session.create(newId(), tenant, owner, "research", "A title",
                (JsonValue.JsonObject) JsonValue.parse("{\"rounds\":3,\"nested\":{\"a\":[1,2.50,\"x\"]}}"), at);
    }

    private Session commit(Transition transition, long expected) {
        store.commit(SessionChange.of(transition, expected));
        return transition.session();
    }

    @Test
    void a_session_with_every_field_set_round_trips_unchanged() {
        Session s = commit(created("t1", "alice", t0), 0);
        s = commit(s.start(t0.plusSeconds(1)), s.version());
        s = commit(s.changePhase(new Phase("identify_gaps"), PhaseOrder.ANY, t0.plusSeconds(2)), s.version());
        s = commit(s.recordProgress(2, 40, new BigDecimal("0.0150"), t0.plusSeconds(3)), s.version());
        s = commit(s.requestClarification(List.of(new Question("q1", "Which market?", true),
                new Question("q2", "Budget?", false)), t0.plusSeconds(4)), s.version());
        assertThat(store.find(s.id())).contains(s);
        s = commit(s.answerClarification(Map.of("q1", "EU"), t0.plusSeconds(5)), s.version());
        s = commit(s.complete((JsonValue.JsonObject) JsonValue.parse("{\"synthesis\":\"ok\",\"score\":1.0}"),
                t0.plusSeconds(6)), s.version());

        assertThat(store.find(s.id())).contains(s);
        List<StoredEvent> history = log.readSession(s.id(), 0, 100);
        assertThat(history).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(history).extracting(StoredEvent::position).isSorted().doesNotHaveDuplicates();
        assertThat(history.get(3).data().get("costUsdDelta")).isEqualTo(JsonValue.of(new BigDecimal("0.015")));
        assertThat(log.readSession(s.id(), 5, 1)).extracting(StoredEvent::seq).containsExactly(6L);
    }

    @Test
    void commit_returns_the_events_with_the_positions_the_log_serves() {
        Session s = commit(created("t1", "alice", t0), 0);
        Session running = s.start(t0.plusSeconds(1)).session();
        Transition deleted = running.delete("alice", t0.plusSeconds(2));
        commit(s.start(t0.plusSeconds(1)), 1);
        List<StoredEvent> stored = store.commit(SessionChange.of(deleted, 2));

        assertThat(stored).extracting(StoredEvent::type).containsExactly("session.killed", "session.deleted");
        assertThat(stored.get(1).position()).isGreaterThan(stored.get(0).position());
        assertThat(log.readFeed(new FeedQuery("t1", 0, Set.of(), 100))).endsWith(stored.toArray(StoredEvent[]::new));
    }

    @Test
    void a_stale_expected_version_is_a_conflict_and_stores_nothing() {
        Session s = commit(created("t1", "alice", t0), 0);
        Transition started = s.start(t0.plusSeconds(1));
        commit(started, 1);

        assertThatThrownBy(() -> store.commit(SessionChange.of(s.kill("bob", null, t0.plusSeconds(2)), 1)))
                .isInstanceOf(VersionConflictException.class);
        assertThat(store.find(s.id())).contains(started.session());
        assertThat(log.readSession(s.id(), 0, 10)).hasSize(2);
    }

    @Test
    void creating_an_existing_id_is_a_conflict() {
        Transition first = created("t1", "alice", t0);
        commit(first, 0);
        Transition again = Session.create(first.session().id(), "t2", "mallory", null, null, null, t0);

        assertThatThrownBy(() -> store.commit(SessionChange.of(again, 0)))
                .isInstanceOf(VersionConflictException.class);
        assertThat(store.find(first.session().id())).contains(first.session());
        assertThat(log.readFeed(new FeedQuery(null, 0, Set.of(), 10))).hasSize(1);
    }

    @Test
    void an_unknown_id_is_empty() {
        assertThat(store.find(newId())).isEmpty();
        assertThat(log.readSession(newId(), 0, 10)).isEmpty();
    }

    @Test
    void heartbeat_moves_only_the_heartbeat_of_a_running_session() {
        Session s = commit(created("t1", "alice", t0), 0);
        assertThat(store.recordHeartbeat(s.id(), t0.plusSeconds(1))).isFalse();
        Session running = commit(s.start(t0.plusSeconds(1)), 1);

        assertThat(store.recordHeartbeat(running.id(), t0.plusSeconds(9))).isTrue();
        assertThat(store.find(s.id())).contains(running.heartbeat(t0.plusSeconds(9)));
        assertThat(log.readSession(s.id(), 0, 10)).hasSize(2);
        assertThat(store.recordHeartbeat(newId(), t0)).isFalse();
    }

    @Test
    void stale_sweep_finds_running_sessions_oldest_sign_of_life_first() {
        Session fresh = commit(created("t1", "a", t0), 0);
        fresh = commit(fresh.start(t0.plusSeconds(100)), 1);
        Session old = commit(created("t1", "a", t0), 0);
        old = commit(old.start(t0.plusSeconds(10)), 1);
        Session older = commit(created("t2", "b", t0), 0);
        older = commit(older.start(t0.plusSeconds(20)), 1);
        store.recordHeartbeat(older.id(), t0.plusSeconds(5));
        Session paused = commit(created("t1", "a", t0), 0);
        paused = commit(paused.start(t0), 1);
        commit(paused.pause(null, t0), 2);

        assertThat(store.findStale(t0.plusSeconds(50), 10)).extracting(Session::id)
                .containsExactly(older.id(), old.id());
        assertThat(store.findStale(t0.plusSeconds(50), 1)).extracting(Session::id).containsExactly(older.id());
        assertThat(store.findStale(t0.plusSeconds(200), 10)).extracting(Session::id).contains(fresh.id());
    }

    @Test
    void counts_by_tenant_and_status() {
        commit(created("t1", "a", t0), 0);
        commit(created("t1", "a", t0), 0);
        Session s = commit(created("t2", "b", t0), 0);
        commit(s.start(t0), 1);

        assertThat(store.countByTenantAndStatus()).isEqualTo(Map.of(
                "t1", Map.of(SessionStatus.CREATED, 2L),
                "t2", Map.of(SessionStatus.RUNNING, 1L)));
    }

    @Test
    void list_filters_and_pages_newest_first_with_ties_broken_by_id() {
        List<Session> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(commit(created(i % 2 == 0 ? "t1" : "t2", i % 3 == 0 ? "alice" : "bob",
                    t0.plusSeconds(i % 5)), 0));
        }
        List<Session> expected = all.stream().filter(s -> s.tenantId().equals("t1") && s.ownerId().equals("bob"))
                .sorted(SessionCursor.NEWEST_FIRST).toList();
        List<Session> seen = new ArrayList<>();
        SessionCursor after = null;
        while (true) {
            List<Session> page = store.list(new SessionListQuery("t1", "bob", EnumSet.allOf(SessionStatus.class),
                    null, after, 4));
            if (page.isEmpty()) {
                break;
            }
            seen.addAll(page);
            after = SessionCursor.after(page.get(page.size() - 1));
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(store.list(new SessionListQuery(null, null, Set.of(SessionStatus.RUNNING), null, null, 100)))
                .isEmpty();
        assertThat(store.list(new SessionListQuery(null, null, Set.of(SessionStatus.CREATED), "research", null,
                100))).hasSize(30);
        assertThat(store.list(new SessionListQuery(null, null, Set.of(SessionStatus.CREATED), "other", null,
                100))).isEmpty();
    }

    @Test
    void reads_come_from_postgresql_every_time_with_no_cache() {
        Session s = commit(created("t1", "alice", t0), 0);
        database.execute("UPDATE sessions SET title = 'changed in the database' WHERE id = '" + s.id() + "'");

        assertThat(store.find(s.id())).get().extracting(Session::title).isEqualTo("changed in the database");
        assertThat(store.list(new SessionListQuery("t1", null, EnumSet.allOf(SessionStatus.class), null, null, 10)))
                .extracting(Session::title).containsExactly("changed in the database");

        database.execute("UPDATE session_events SET data = '{\"edited\":true}' WHERE session_id = '" + s.id() + "'");
        assertThat(log.readSession(s.id(), 0, 10).get(0).data().get("edited")).isEqualTo(JsonValue.of(true));

        try (PostgresAdapter second = PostgresAdapter.start(database.settings())) {
            Session started = commit(s.start(t0.plusSeconds(1)), 1);
            assertThat(second.sessionStore().find(s.id())).get().extracting(Session::version).isEqualTo(2L);
            assertThat(second.eventLog().readSession(s.id(), 0, 10)).hasSize(2);
            assertThat(started.version()).isEqualTo(2);
        }
    }

    @Test
    void the_feed_filters_by_tenant_and_type_in_position_order() {
        Session a = commit(created("t1", "a", t0), 0);
        commit(created("t2", "b", t0), 0);
        commit(a.start(t0), 1);

        assertThat(log.readFeed(new FeedQuery("t1", 0, Set.of(), 10))).extracting(StoredEvent::type)
                .containsExactly("session.created", "session.started");
        assertThat(log.readFeed(new FeedQuery(null, 0, Set.of("session.created"), 10))).hasSize(2)
                .extracting(StoredEvent::position).isSorted();
        List<StoredEvent> all = log.readFeed(new FeedQuery(null, 0, Set.of(), 10));
        assertThat(log.readFeed(new FeedQuery(null, all.get(0).position(), Set.of(), 1)))
                .containsExactly(all.get(1));
    }

    @Test
    void the_feed_never_passes_a_lower_position_that_a_slow_transaction_still_holds() throws Exception {
        Session a = commit(created("t1", "a", t0), 0);
        long before = log.readFeed(new FeedQuery("t1", 0, Set.of(), 10)).get(0).position();
        try (Connection slow = database.connect()) {
            slow.setAutoCommit(false);
            try (Statement statement = slow.createStatement()) {
                // The slow writer takes its transaction id (hence its position) first ...
                statement.execute("SELECT pg_current_xact_id()");
                // ... a faster writer then commits a higher position ...
                Session b = commit(created("t1", "b", t0), 0);
                long fast = log.readSession(b.id(), 0, 1).get(0).position();
                // ... which the feed must not hand out while the lower one may still appear.
                assertThat(log.readFeed(new FeedQuery("t1", before, Set.of(), 10))).isEmpty();
                assertThat(log.readFeed(new FeedQuery(null, before, Set.of(), 10))).isEmpty();

                statement.execute("UPDATE sessions SET version = 2, last_event_seq = 2 WHERE id = '" + a.id() + "'");
                statement.execute("INSERT INTO session_events (position, session_id, tenant_id, seq, type, at, data)"
                        + " SELECT pg_current_xact_id()::text::bigint * 1024, id, tenant_id, 2, 'slow', now(), '{}'"
                        + " FROM sessions WHERE id = '" + a.id() + "'");
                long slowPosition;
                try (ResultSet rows = statement.executeQuery(
                        "SELECT position FROM session_events WHERE type = 'slow'")) {
                    rows.next();
                    slowPosition = rows.getLong(1);
                }
                assertThat(slowPosition).isBetween(before, fast);
                slow.commit();

                assertThat(log.readFeed(new FeedQuery("t1", before, Set.of(), 10)))
                        .extracting(StoredEvent::position).containsExactly(slowPosition, fast);
            }
        }
    }

    @Test
    void a_reader_tailing_the_feed_during_concurrent_writes_misses_nothing() throws Exception {
        int writers = 4;
        int perWriter = 150;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        try {
            Future<?> reader = pool.submit(() -> {
                long after = 0;
                boolean last = false;
                while (true) {
                    boolean done = !writing.get();
                    List<StoredEvent> page = log.readFeed(new FeedQuery(null, after, Set.of(), 50));
                    for (StoredEvent event : page) {
                        seen.add(event.position());
                        after = event.position();
                    }
                    if (page.isEmpty() && done) {
                        if (last) {
                            return null;
                        }
                        last = true;
                    }
                }
            });
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perWriter; i++) {
                        Session s = commit(created("t1", "w", Instant.now().truncatedTo(ChronoUnit.MICROS)), 0);
                        commit(s.start(s.createdAt()), 1);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<Long> stored = new ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT position FROM session_events ORDER BY position")) {
            while (rows.next()) {
                stored.add(rows.getLong(1));
            }
        }
        assertThat(stored).hasSize(writers * perWriter * 2);
        assertThat(new ArrayList<>(seen)).containsExactlyElementsOf(stored);
    }
}
