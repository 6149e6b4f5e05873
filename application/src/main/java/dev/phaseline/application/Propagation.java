package dev.phaseline.application;

import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Session;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after a commit: the cache is written through (version-guarded), then the events are published.
 * The commit is already durable, so a failure here is logged and counted, never thrown: readers fall back to the
 * store, and subscribers fill gaps from the log. While a port stays down, each failure is counted, but only the first
 * is logged in full, then a summary a minute at most (see {@link OutageLog}).
 */
final class Propagation {

    private static final Logger LOG = LoggerFactory.getLogger(Propagation.class);

    private final LiveStateCache cache;
    private final EventBus bus;
    private final ApplicationMetrics metrics;
    private final KnownVersions known;
    private final OutageLog cacheOutage;
    private final OutageLog busOutage;

    Propagation(LiveStateCache cache, EventBus bus, ApplicationMetrics metrics, KnownVersions known, Clock clock) {
        this.cache = cache;
        this.bus = bus;
        this.metrics = metrics;
        this.known = known;
        this.cacheOutage = new OutageLog("cache", LOG, clock);
        this.busOutage = new OutageLog("bus", LOG, clock);
    }

    void committed(Session session, List<StoredEvent> events) {
        known.saw(session.id(), session.version());
        refresh(session);
        try {
            bus.publish(events);
            busOutage.succeeded();
        } catch (RuntimeException e) {
            metrics.portFailed("bus");
            busOutage.failed(e, "could not publish events of session {} up to seq {}; subscribers will catch up from"
                    + " the log", session.id(), session.lastEventSeq());
        }
    }

    /** Writes a state read from the store through to the cache; older versions never replace newer ones. */
    void refresh(Session session) {
        try {
            cache.put(session);
            cacheOutage.succeeded();
        } catch (RuntimeException e) {
            metrics.portFailed("cache");
            cacheOutage.failed(e, "could not cache session {} at version {}", session.id(), session.version());
        }
    }
}
