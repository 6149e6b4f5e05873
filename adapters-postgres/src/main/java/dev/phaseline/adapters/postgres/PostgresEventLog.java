package dev.phaseline.adapters.postgres;

import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.FeedQuery;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionId;
import java.util.List;
import java.util.Objects;
import org.hibernate.SessionFactory;
import org.hibernate.query.NativeQuery;

/**
 * The {@link EventLog} on PostgreSQL: table {@code session_events}, appended to by {@link PostgresSessionStore}.
 *
 * <p><b>Feed safety.</b> A position is {@code xid * 1024 + index}, where {@code xid} is the id of the transaction
 * that appended the event. Every transaction below {@code pg_snapshot_xmin(pg_current_snapshot())} has ended, and
 * every transaction still running or yet to begin has an id at or above it. A feed read therefore returns only
 * positions below {@code xmin * 1024}: all of them are final, and whatever commits later gets a higher position.
 * A reader that continues after the last position it saw misses nothing, at the price that a long-running writing
 * transaction holds the feed back until it ends. (A sequence would not do: transactions may draw ids and sequence
 * values in opposite orders, so an xmin filter over sequence positions could still skip one.)
 */
public final class PostgresEventLog implements EventLog {

    private static final String SAFE_BOUND = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint * "
            + PostgresSessionStore.EVENTS_PER_TRANSACTION;

    /**
     * The head under the same bound as a feed read. {@code max(position)} with a bound on {@code position} is
     * answered by a backward scan of the primary key that stops at the first row, however long the log.
     */
    static final String HEAD_SQL = "SELECT coalesce(max(position), 0) FROM session_events WHERE position < "
            + SAFE_BOUND;

    private final SessionFactory sessionFactory;

    PostgresEventLog(SessionFactory sessionFactory) {
        this.sessionFactory = Objects.requireNonNull(sessionFactory, "sessionFactory");
    }

    @Override
    public List<StoredEvent> readSession(SessionId sessionId, long afterSeq, int limit) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        // Within a session no bound is needed: seq n+1 can only commit after seq n did.
        String sql = "SELECT * FROM session_events WHERE session_id = :id AND seq > :after ORDER BY seq LIMIT :limit";
        return PostgresErrors.unavailableOnFailure("read the events of session " + sessionId,
                () -> sessionFactory.fromStatelessSession(session -> session
                        .createNativeQuery(sql, SessionEventJpaEntity.class)
                        .setParameter("id", sessionId.value())
                        .setParameter("after", afterSeq)
                        .setParameter("limit", limit)
                        .getResultList().stream().map(SessionMapper::toDomain).toList()));
    }

    @Override
    public List<StoredEvent> readFeed(FeedQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT * FROM session_events WHERE position > :after AND position < ")
                .append(SAFE_BOUND);
        if (query.tenantId() != null) {
            sql.append(" AND tenant_id = :tenant");
        }
        if (!query.types().isEmpty()) {
            sql.append(" AND type IN (:types)");
        }
        sql.append(" ORDER BY position LIMIT :limit");
        return PostgresErrors.unavailableOnFailure("read the event feed", () -> sessionFactory.fromStatelessSession(
                session -> {
                    NativeQuery<SessionEventJpaEntity> select = session.createNativeQuery(sql.toString(),
                            SessionEventJpaEntity.class);
                    select.setParameter("after", query.afterPosition());
                    if (query.tenantId() != null) {
                        select.setParameter("tenant", query.tenantId());
                    }
                    if (!query.types().isEmpty()) {
                        select.setParameterList("types", query.types().stream().sorted().toList());
                    }
                    select.setParameter("limit", query.limit());
                    return select.getResultList().stream().map(SessionMapper::toDomain).toList();
                }));
    }

    @Override
    public long headPosition() {
        return PostgresErrors.unavailableOnFailure("read the head of the event feed",
                () -> sessionFactory.fromStatelessSession(session -> session
                        .createNativeQuery(HEAD_SQL, Long.class)
                        .getSingleResult()));
    }
}
