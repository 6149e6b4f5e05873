package dev.phaseline.application;

import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.application.port.SessionCursor;
import dev.phaseline.application.port.SessionListQuery;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import dev.phaseline.domain.ValidationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers reads: from the live state when it holds exactly the version this node knows was committed, otherwise from
 * the store, repairing the cache entry. Listings and histories always read the store.
 */
final class QueryService implements SessionQueries {

    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);
    private static final Set<SessionStatus> NOT_DELETED = EnumSet.complementOf(EnumSet.of(SessionStatus.DELETED));

    private final SessionStore store;
    private final EventLog log;
    private final LiveStateCache cache;
    private final Propagation propagation;
    private final AccessPolicy access;
    private final ApplicationMetrics metrics;
    private final KnownVersions known;

    QueryService(SessionStore store, EventLog log, LiveStateCache cache, Propagation propagation, AccessPolicy access,
            ApplicationMetrics metrics, KnownVersions known) {
        this.store = store;
        this.log = log;
        this.cache = cache;
        this.propagation = propagation;
        this.access = access;
        this.metrics = metrics;
        this.known = known;
    }

    @Override
    public Session get(Principal principal, SessionId id) {
        Session session = load(id);
        access.require(principal, session, Action.READ);
        return session;
    }

    @Override
    public SessionPage list(Principal principal, ListSessions query) {
        SessionCursor after = query.cursor() == null ? null : CursorCodec.decode(query.cursor());
        Optional<AccessPolicy.ListScope> scope = access.listScope(principal, query.owner());
        if (scope.isEmpty()) {
            return new SessionPage(List.of(), null);
        }
        Set<SessionStatus> statuses = query.statuses().isEmpty() ? NOT_DELETED : query.statuses();
        List<Session> found = store.list(new SessionListQuery(scope.get().tenantId(), scope.get().ownerId(),
                statuses, query.workflow(), after, query.limit() + 1));
        if (found.size() <= query.limit()) {
            return new SessionPage(found, null);
        }
        List<Session> page = found.subList(0, query.limit());
        return new SessionPage(page, CursorCodec.encode(SessionCursor.after(page.get(page.size() - 1))));
    }

    @Override
    public EventPage history(Principal principal, SessionId id, long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw ValidationException.of("after", "must be >= 0");
        }
        if (limit < 1 || limit > EventPage.MAX_LIMIT) {
            throw ValidationException.of("limit", "must be between 1 and " + EventPage.MAX_LIMIT);
        }
        access.require(principal, load(id), Action.READ);
        // One more than the page tells whether another page follows, so a full last page ends with no nextAfter.
        List<StoredEvent> events = log.readSession(id, afterSeq, limit + 1);
        if (events.size() <= limit) {
            return new EventPage(events, null);
        }
        List<StoredEvent> page = events.subList(0, limit);
        return new EventPage(page, page.get(page.size() - 1).seq());
    }

    @Override
    public long feedHead(Principal principal) {
        access.requireFeed(principal);
        return log.headPosition();
    }

    @Override
    public AdminStats stats(Principal principal) {
        access.requireAdmin(principal);
        return new AdminStats(store.countByTenantAndStatus());
    }

    /**
     * Answers from the cache only when its entry is exactly the newest version this node knows was committed (by its
     * own commands, the bus, or an earlier read of the store); otherwise reads the store, the source of truth, and
     * repairs the entry. A missing, older, or unknown "newer" entry is never served.
     */
    Session load(SessionId id) {
        long newest = known.newest(id);
        if (newest > 0) {
            Optional<Session> cached = Optional.empty();
            try {
                cached = cache.get(id);
            } catch (RuntimeException e) {
                metrics.portFailed("cache");
                LOG.debug("cache unreachable while reading session {}", id, e);
            }
            if (cached.isPresent() && cached.get().version() == newest) {
                metrics.cacheRead(true);
                return cached.get();
            }
        }
        Session stored = store.find(id).orElseThrow(() -> new SessionNotFoundException(id));
        known.saw(id, stored.version());
        metrics.cacheRead(false);
        propagation.refresh(stored);
        return stored;
    }
}
