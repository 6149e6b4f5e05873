package dev.phaseline.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.SessionCursor;
import dev.phaseline.application.port.SessionListQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keyset listing over 10,000 sessions across tenants: every filter pages each visible session exactly once. */
class PostgresListingIT {

    private static final int SESSIONS = 10_000;
    private static final List<String> TENANTS = List.of("t1", "t2", "t3");
    private static final List<String> OWNERS = List.of("o1", "o2", "o3");
    private static final List<String> WORKFLOWS = List.of("w1", "w2");

    private static PostgresAdapter adapter;
    private static SessionStore store;
    private static final List<Session> ALL = new ArrayList<>();

    @BeforeAll
    static void insertSessions() throws Exception {
        TestDatabases.TestDatabase database = TestDatabases.create();
        adapter = PostgresAdapter.start(database.settings());
        store = adapter.sessionStore();
        Random random = new Random(42);
        Instant base = Instant.parse("2030-06-01T00:00:00Z");
        for (int i = 0; i < SESSIONS; i++) {
            // Few distinct creation times, so that many sessions tie and the id decides their order.
            Instant at = base.plusMillis(random.nextInt(500) * 7L).plusNanos(random.nextInt(3) * 1000L);
            Session created = Session.create(new SessionId(UUID.randomUUID()), pick(random, TENANTS),
                    pick(random, OWNERS), pick(random, WORKFLOWS), "s" + i, null, at).session();
            ALL.add(withStatus(created, random.nextInt(3)));
        }
        String insert = "INSERT INTO sessions (id, tenant_id, owner_id, workflow, title, status, phase, pause_reason,"
                + " pause_since, pause_questions, progress_round, progress_percent, cost_usd, input, result,"
                + " failure_code, failure_message, answers, version, last_event_seq, created_at, updated_at,"
                + " started_at, ended_at, last_heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?,"
                + " ?::jsonb, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(insert)) {
            connection.setAutoCommit(false);
            for (int i = 0; i < ALL.size(); i++) {
                PostgresSessionStore.bindNewRow(statement, SessionMapper.toEntity(ALL.get(i)));
                statement.addBatch();
                if (i % 1000 == 999) {
                    statement.executeBatch();
                }
            }
            statement.executeBatch();
            connection.commit();
        }
        ALL.sort(SessionCursor.NEWEST_FIRST);
    }

    private static Session withStatus(Session s, int kind) {
        SessionStatus status = kind == 0 ? SessionStatus.CREATED : kind == 1 ? SessionStatus.RUNNING
                : SessionStatus.COMPLETED;
        return new Session(s.id(), s.tenantId(), s.ownerId(), s.workflow(), s.title(), status, s.phase(), null,
                s.progress(), s.input(), null, null, s.answers(), 1, 1, s.createdAt(), s.updatedAt(),
                kind == 0 ? null : s.createdAt(), kind == 2 ? s.createdAt() : null, null);
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    @AfterAll
    static void close() {
        adapter.close();
    }

    @Test
    void keyset_pages_cover_each_visible_session_exactly_once_newest_first_for_every_filter() {
        List<Set<SessionStatus>> statusSets = List.of(EnumSet.allOf(SessionStatus.class),
                EnumSet.of(SessionStatus.RUNNING), EnumSet.of(SessionStatus.CREATED, SessionStatus.COMPLETED));
        List<String> tenants = new ArrayList<>(TENANTS);
        tenants.add(null);
        int filters = 0;
        for (String tenant : tenants) {
            for (String owner : Arrays.asList(null, "o1")) {
                for (Set<SessionStatus> statuses : statusSets) {
                    for (String workflow : Arrays.asList(null, "w2")) {
                        SessionListQuery first = new SessionListQuery(tenant, owner, statuses, workflow, null, 700);
                        assertThat(pageThrough(first)).as("tenant %s owner %s statuses %s workflow %s", tenant,
                                owner, statuses, workflow).containsExactlyElementsOf(expected(first));
                        filters++;
                    }
                }
            }
        }
        assertThat(filters).isEqualTo(48);
        SessionListQuery small = new SessionListQuery("t2", null, EnumSet.allOf(SessionStatus.class), null, null,
                37);
        assertThat(pageThrough(small)).hasSizeGreaterThan(3000).containsExactlyElementsOf(expected(small));
    }

    private static List<Session> pageThrough(SessionListQuery first) {
        List<Session> seen = new ArrayList<>();
        SessionCursor after = null;
        while (true) {
            List<Session> page = store.list(new SessionListQuery(first.tenantId(), first.ownerId(), first.statuses(),
                    first.workflow(), after, first.limit()));
            assertThat(page.size()).isLessThanOrEqualTo(first.limit());
            seen.addAll(page);
            if (page.size() < first.limit()) {
                return seen;
            }
            after = SessionCursor.after(page.get(page.size() - 1));
        }
    }

    private static List<Session> expected(SessionListQuery query) {
        return ALL.stream()
                .filter(s -> query.tenantId() == null || s.tenantId().equals(query.tenantId()))
                .filter(s -> query.ownerId() == null || s.ownerId().equals(query.ownerId()))
                .filter(s -> query.statuses().contains(s.status()))
                .filter(s -> query.workflow() == null || s.workflow().equals(query.workflow()))
                .toList();
    }
}
