package dev.phaseline.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.SessionChange;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.Transition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The feed head over a long log: answered from the position index, not by scanning the table. */
class PostgresFeedHeadIT {

    private static final int EVENTS = 50_000;

    private static TestDatabases.TestDatabase database;
    private static PostgresAdapter adapter;

    @BeforeAll
    static void fillTheLog() throws Exception {
        database = TestDatabases.create();
        adapter = PostgresAdapter.start(database.settings());
        Transition created = Session.create(new SessionId(UUID.randomUUID()), "acme", "alice", "demo", null, null,
                Instant.parse("2030-01-01T00:00:00Z"));
        adapter.sessionStore().commit(SessionChange.of(created, 0));
        // Old positions, far below every transaction id this database will see from now on.
        database.execute("INSERT INTO session_events (position, session_id, tenant_id, seq, type, at, data)"
                + " SELECT n, '" + created.session().id().value() + "', 'acme', n + 1, 'agent_thinking', now(),"
                + " '{}'::jsonb FROM generate_series(1, " + EVENTS + ") AS n", "ANALYZE session_events");
    }

    @AfterAll
    static void closeAdapter() {
        adapter.close();
    }

    @Test
    void the_head_is_the_highest_committed_position() throws Exception {
        long max;
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT max(position) FROM session_events")) {
            rows.next();
            max = rows.getLong(1);
        }

        assertThat(adapter.eventLog().headPosition()).isEqualTo(max).isGreaterThan(EVENTS);
    }

    @Test
    void the_head_is_read_from_the_position_index() throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("EXPLAIN " + PostgresEventLog.HEAD_SQL)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }

        assertThat(plan.toString()).contains("Backward using session_events_pkey").doesNotContain("Seq Scan");
    }
}
