package dev.phaseline.adapters.postgres;

import dev.phaseline.application.port.SessionChange;
import dev.phaseline.application.port.SessionListQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.application.port.VersionConflictException;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.query.NativeQuery;

/**
 * The {@link SessionStore} on PostgreSQL: table {@code sessions}, with the events appended to
 * {@code session_events} (read through {@link PostgresEventLog}).
 *
 * <p><b>Write path.</b> A commit is one SQL statement in autocommit mode: a data-modifying CTE updates the session
 * row guarded by {@code version = expectedVersion} (a creation inserts it with {@code ON CONFLICT DO NOTHING}) and
 * the main statement inserts the change's events for the row the CTE returned, returning their positions. So the
 * state and its events commit together or not at all, a lost race shows as zero rows (no exception, no aborted
 * transaction, no extra SELECT), and a commit costs one round trip — less than a plain JDBC
 * {@code UPDATE; INSERT; COMMIT}. Concurrent writers of one session queue on its row lock; under read committed the
 * loser re-checks {@code version} on the winner's row and updates nothing. The hot path therefore uses JDBC on a
 * pooled connection rather than the ORM: Hibernate's persistence context and dirty checking would add a SELECT per
 * commit and several statements per transaction for nothing. Hibernate owns the mapping, the startup schema
 * validation and the reads.
 *
 * <p>Nothing is cached: every read goes to PostgreSQL. Failures of the database, driver, pool or ORM surface as
 * {@link dev.phaseline.application.port.StoreUnavailableException}.
 */
public final class PostgresSessionStore implements SessionStore {

    /** Events of one change take consecutive positions from {@code xid * EVENTS_PER_TRANSACTION}. */
    static final int EVENTS_PER_TRANSACTION = 1024;

    private static final String EVENTS_INSERT = """
            INSERT INTO session_events (position, session_id, tenant_id, seq, type, at, data)
            SELECT pg_current_xact_id()::text::bigint * 1024 + e.ord - 1, s.id, s.tenant_id, e.seq, e.type,
                   e.at::timestamptz, e.data::jsonb
            FROM s CROSS JOIN unnest(?::bigint[], ?::text[], ?::text[], ?::text[])
                 WITH ORDINALITY AS e(seq, type, at, data, ord)
            RETURNING position, seq
            """;

    static final String CREATE = """
            WITH s AS (
                INSERT INTO sessions (id, tenant_id, owner_id, workflow, title, status, phase, pause_reason,
                    pause_since, pause_questions, progress_round, progress_percent, cost_usd, input, result,
                    failure_code, failure_message, answers, version, last_event_seq, created_at, updated_at,
                    started_at, ended_at, last_heartbeat_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?, ?,
                    ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                RETURNING id, tenant_id
            )
            """ + EVENTS_INSERT;

    static final String UPDATE = """
            WITH s AS (
                UPDATE sessions SET status = ?, phase = ?, pause_reason = ?, pause_since = ?,
                    pause_questions = ?::jsonb, progress_round = ?, progress_percent = ?, cost_usd = ?,
                    result = ?::jsonb, failure_code = ?, failure_message = ?, answers = ?::jsonb, version = ?,
                    last_event_seq = ?, updated_at = ?, started_at = ?, ended_at = ?, last_heartbeat_at = ?
                WHERE id = ? AND version = ?
                RETURNING id, tenant_id
            )
            """ + EVENTS_INSERT;

    private static final String HEARTBEAT =
            "UPDATE sessions SET last_heartbeat_at = ? WHERE id = ? AND status = 'running'";

    private final DataSource dataSource;
    private final SessionFactory sessionFactory;

    PostgresSessionStore(DataSource dataSource, SessionFactory sessionFactory) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.sessionFactory = Objects.requireNonNull(sessionFactory, "sessionFactory");
    }

    @Override
    public Optional<Session> find(SessionId id) {
        Objects.requireNonNull(id, "id");
        return PostgresErrors.unavailableOnFailure("read session " + id, () -> sessionFactory.fromStatelessSession(
                session -> Optional.ofNullable(session.get(SessionJpaEntity.class, id.value()))
                        .map(SessionMapper::toDomain)));
    }

    @Override
    public List<StoredEvent> commit(SessionChange change) {
        Objects.requireNonNull(change, "change");
        if (change.events().size() > EVENTS_PER_TRANSACTION) {
            throw new IllegalArgumentException("a change holds at most " + EVENTS_PER_TRANSACTION + " events");
        }
        Session next = change.session();
        SessionJpaEntity row = SessionMapper.toEntity(next);
        Map<Long, Long> positionsBySeq;
        try (Connection connection = dataSource.getConnection()) {
            positionsBySeq = change.isCreation() ? create(connection, row, change.events())
                    : update(connection, row, change.expectedVersion(), change.events());
        } catch (SQLException | RuntimeException e) {
            if (PostgresErrors.isConflict(e)) {
                throw new VersionConflictException(next.id(), change.expectedVersion());
            }
            throw e instanceof RuntimeException runtime ? PostgresErrors.translate("commit session " + next.id(), runtime)
                    : PostgresErrors.unavailable("commit session " + next.id(), e);
        }
        if (positionsBySeq.isEmpty()) {
            throw new VersionConflictException(next.id(), change.expectedVersion());
        }
        List<StoredEvent> stored = new ArrayList<>(change.events().size());
        for (SessionEvent event : change.events()) {
            Long position = positionsBySeq.get(event.seq());
            if (position == null) {
                throw new IllegalStateException("PostgreSQL stored no position for seq " + event.seq());
            }
            stored.add(StoredEvent.of(event, next.tenantId(), position));
        }
        return stored;
    }

    private static Map<Long, Long> create(Connection connection, SessionJpaEntity row, List<SessionEvent> events)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CREATE)) {
            int i = bindNewRow(statement, row);
            bindEvents(statement, i, connection, events);
            return positions(statement);
        }
    }

    /** Binds the 25 columns of a new session row; returns the next parameter index. */
    static int bindNewRow(PreparedStatement statement, SessionJpaEntity row) throws SQLException {
        int i = 1;
        statement.setObject(i++, row.id);
        statement.setString(i++, row.tenantId);
        statement.setString(i++, row.ownerId);
        statement.setString(i++, row.workflow);
        statement.setString(i++, row.title);
        statement.setString(i++, row.status);
        statement.setString(i++, row.phase);
        statement.setString(i++, row.pauseReason);
        setInstant(statement, i++, row.pauseSince);
        statement.setString(i++, row.pauseQuestions);
        statement.setInt(i++, row.progressRound);
        setInteger(statement, i++, row.progressPercent);
        statement.setBigDecimal(i++, row.costUsd);
        statement.setString(i++, row.input);
        statement.setString(i++, row.result);
        statement.setString(i++, row.failureCode);
        statement.setString(i++, row.failureMessage);
        statement.setString(i++, row.answers);
        statement.setLong(i++, row.version);
        statement.setLong(i++, row.lastEventSeq);
        setInstant(statement, i++, row.createdAt);
        setInstant(statement, i++, row.updatedAt);
        setInstant(statement, i++, row.startedAt);
        setInstant(statement, i++, row.endedAt);
        setInstant(statement, i++, row.lastHeartbeatAt);
        return i;
    }

    private static Map<Long, Long> update(Connection connection, SessionJpaEntity row, long expectedVersion,
            List<SessionEvent> events) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
            int i = 1;
            statement.setString(i++, row.status);
            statement.setString(i++, row.phase);
            statement.setString(i++, row.pauseReason);
            setInstant(statement, i++, row.pauseSince);
            statement.setString(i++, row.pauseQuestions);
            statement.setInt(i++, row.progressRound);
            setInteger(statement, i++, row.progressPercent);
            statement.setBigDecimal(i++, row.costUsd);
            statement.setString(i++, row.result);
            statement.setString(i++, row.failureCode);
            statement.setString(i++, row.failureMessage);
            statement.setString(i++, row.answers);
            statement.setLong(i++, row.version);
            statement.setLong(i++, row.lastEventSeq);
            setInstant(statement, i++, row.updatedAt);
            setInstant(statement, i++, row.startedAt);
            setInstant(statement, i++, row.endedAt);
            setInstant(statement, i++, row.lastHeartbeatAt);
            statement.setObject(i++, row.id);
            statement.setLong(i++, expectedVersion);
            bindEvents(statement, i, connection, events);
            return positions(statement);
        }
    }

    private static void bindEvents(PreparedStatement statement, int from, Connection connection,
            List<SessionEvent> events) throws SQLException {
        int size = events.size();
        Long[] seqs = new Long[size];
        String[] types = new String[size];
        String[] ats = new String[size];
        String[] data = new String[size];
        for (int k = 0; k < size; k++) {
            SessionEvent event = events.get(k);
            seqs[k] = event.seq();
            types[k] = event.type();
            ats[k] = event.at().toString();
            data[k] = event.data().toJson();
        }
        statement.setArray(from, connection.createArrayOf("bigint", seqs));
        statement.setArray(from + 1, connection.createArrayOf("text", types));
        statement.setArray(from + 2, connection.createArrayOf("text", ats));
        statement.setArray(from + 3, connection.createArrayOf("text", data));
    }

    private static Map<Long, Long> positions(PreparedStatement statement) throws SQLException {
        Map<Long, Long> positionsBySeq = new HashMap<>(4);
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                positionsBySeq.put(rows.getLong(2), rows.getLong(1));
            }
        }
        return positionsBySeq;
    }

    private static void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        }
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    @Override
    public boolean recordHeartbeat(SessionId id, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        return PostgresErrors.unavailableOnFailure("record a heartbeat of session " + id, () -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(HEARTBEAT)) {
                setInstant(statement, 1, at);
                statement.setObject(2, id.value());
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Session> list(SessionListQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT * FROM sessions WHERE status IN (:statuses)");
        if (query.tenantId() != null) {
            sql.append(" AND tenant_id = :tenant");
        }
        if (query.ownerId() != null) {
            sql.append(" AND owner_id = :owner");
        }
        if (query.workflow() != null) {
            sql.append(" AND workflow = :workflow");
        }
        if (query.after() != null) {
            // Row comparison in the index's order: strictly after the cursor, newest first.
            sql.append(" AND (created_at, id) < (:afterAt, :afterId)");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        return PostgresErrors.unavailableOnFailure("list sessions", () -> sessionFactory.fromStatelessSession(
                session -> {
                    NativeQuery<SessionJpaEntity> select = session.createNativeQuery(sql.toString(),
                            SessionJpaEntity.class);
                    select.setParameterList("statuses", query.statuses().stream()
                            .map(SessionStatus::wireName).sorted().toList());
                    if (query.tenantId() != null) {
                        select.setParameter("tenant", query.tenantId());
                    }
                    if (query.ownerId() != null) {
                        select.setParameter("owner", query.ownerId());
                    }
                    if (query.workflow() != null) {
                        select.setParameter("workflow", query.workflow());
                    }
                    if (query.after() != null) {
                        select.setParameter("afterAt", query.after().createdAt());
                        select.setParameter("afterId", query.after().id().value());
                    }
                    select.setParameter("limit", query.limit());
                    return select.getResultList().stream().map(SessionMapper::toDomain).toList();
                }));
    }

    @Override
    public List<Session> findStale(Instant cutoff, int limit) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (limit < 1) {
            return List.of();
        }
        String sql = "SELECT * FROM sessions WHERE status = 'running'"
                + " AND COALESCE(last_heartbeat_at, started_at) < :cutoff"
                + " ORDER BY COALESCE(last_heartbeat_at, started_at), id LIMIT :limit";
        return PostgresErrors.unavailableOnFailure("find stale sessions", () -> sessionFactory.fromStatelessSession(
                session -> session.createNativeQuery(sql, SessionJpaEntity.class)
                        .setParameter("cutoff", cutoff)
                        .setParameter("limit", limit)
                        .getResultList().stream().map(SessionMapper::toDomain).toList()));
    }

    @Override
    public Map<String, Map<SessionStatus, Long>> countByTenantAndStatus() {
        String sql = "SELECT tenant_id, status, count(*) FROM sessions GROUP BY tenant_id, status";
        return PostgresErrors.unavailableOnFailure("count sessions", () -> sessionFactory.fromStatelessSession(
                session -> {
                    Map<String, Map<SessionStatus, Long>> counts = new TreeMap<>();
                    for (Object[] row : session.createNativeQuery(sql, Object[].class).getResultList()) {
                        counts.computeIfAbsent((String) row[0], tenant -> new EnumMap<>(SessionStatus.class))
                                .put(SessionStatus.fromWireName((String) row[1]), ((Number) row[2]).longValue());
                    }
                    return counts;
                }));
    }
}
