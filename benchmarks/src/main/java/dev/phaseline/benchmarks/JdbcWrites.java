package dev.phaseline.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.phaseline.domain.SessionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The baseline: plain JDBC on a HikariCP pool doing the SQL work of one transition, in one transaction per
 * operation: an UPDATE of the session row (version and last_event_seq + 1, updated_at, and — in the default
 * variant — last_heartbeat_at, which every worker command on a running session moves), an INSERT of the event
 * with a valid position derived from {@code pg_current_xact_id()} like the adapter's, and a COMMIT.
 */
final class JdbcWrites implements AutoCloseable {

    private static final String UPDATE_WITH_HEARTBEAT = """
            UPDATE sessions SET version = version + 1, last_event_seq = last_event_seq + 1, updated_at = ?,
                last_heartbeat_at = ?
            WHERE id = ? RETURNING version, tenant_id""";
    private static final String UPDATE_MINIMAL = """
            UPDATE sessions SET version = version + 1, last_event_seq = last_event_seq + 1, updated_at = ?
            WHERE id = ? RETURNING version, tenant_id""";
    private static final String INSERT = """
            INSERT INTO session_events (position, session_id, tenant_id, seq, type, at, data)
            VALUES (pg_current_xact_id()::text::bigint * 1024, ?, ?, ?, ?, ?, ?::jsonb)""";

    private final HikariDataSource pool;
    private final List<SessionId> sessions;
    final LongAdder acquireNanos = new LongAdder();
    final LongAdder updateNanos = new LongAdder();
    final LongAdder insertNanos = new LongAdder();
    final LongAdder commitNanos = new LongAdder();
    final LongAdder timedOps = new LongAdder();

    JdbcWrites(BenchmarkDatabase database, int poolSize, List<SessionId> sessions) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("benchmark-jdbc");
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setAutoCommit(false);
        config.addDataSourceProperty("ApplicationName", "phaseline-benchmark-jdbc");
        this.pool = new HikariDataSource(config);
        this.sessions = List.copyOf(sessions);
    }

    void resetTimings() {
        acquireNanos.reset();
        updateNanos.reset();
        insertNanos.reset();
        commitNanos.reset();
        timedOps.reset();
    }

    /**
     * One transition of the thread's own session.
     *
     * @param thread        picks the session
     * @param n             goes into the event data
     * @param withHeartbeat whether the UPDATE also moves last_heartbeat_at, as the library does
     * @param timed         whether to add this operation's statement times to the breakdown
     */
    void transition(int thread, long n, boolean withHeartbeat, boolean timed) throws SQLException {
        SessionId id = sessions.get(thread);
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        long t0 = System.nanoTime();
        try (Connection connection = pool.getConnection()) {
            long t1 = System.nanoTime();
            long seq;
            String tenant;
            try {
                try (PreparedStatement update = connection.prepareStatement(
                        withHeartbeat ? UPDATE_WITH_HEARTBEAT : UPDATE_MINIMAL)) {
                    int i = 1;
                    update.setObject(i++, now);
                    if (withHeartbeat) {
                        update.setObject(i++, now);
                    }
                    update.setObject(i, id.value());
                    try (ResultSet row = update.executeQuery()) {
                        if (!row.next()) {
                            throw new IllegalStateException("no session " + id);
                        }
                        seq = row.getLong(1);
                        tenant = row.getString(2);
                    }
                }
                long t2 = System.nanoTime();
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    insert.setObject(1, id.value());
                    insert.setString(2, tenant);
                    insert.setLong(3, seq);
                    insert.setString(4, "tick");
                    insert.setObject(5, now);
                    insert.setString(6, "{\"n\":" + n + "}");
                    insert.executeUpdate();
                }
                long t3 = System.nanoTime();
                connection.commit();
                long t4 = System.nanoTime();
                if (timed) {
                    acquireNanos.add(t1 - t0);
                    updateNanos.add(t2 - t1);
                    insertNanos.add(t3 - t2);
                    commitNanos.add(t4 - t3);
                    timedOps.increment();
                }
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
