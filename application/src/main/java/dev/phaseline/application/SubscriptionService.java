package dev.phaseline.application;

import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.FeedQuery;
import dev.phaseline.application.port.StoreUnavailableException;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import dev.phaseline.domain.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriptions on this node, fed by the event bus.
 *
 * <p>A session stream registers for live events first, then replays the log after the requested seq; live events
 * that arrive meanwhile wait in its bounded queue. Every event is delivered only if its seq is the next one: a
 * duplicate (seq already delivered) is dropped, a jump (a lost or reordered bus message) is filled from the log
 * first. So replay and live join with no gap and no duplicate, whatever the bus does. A full queue ends the stream
 * with an overflow signal instead of dropping an event; the subscriber resumes from the last seq it received.
 *
 * <p>A feed stream reads the log by position each time the bus signals a matching event (and again on a timer while
 * a signalled position is not yet delivered), so it never needs a buffer and never skips a position.
 *
 * <p>Fan-out: this service is the bus's one listener. {@link #onEvent} only notes the version and hands the event to
 * the fan-out lanes that have a subscriber of its session or tenant, so the thread that committed (or the bus's own
 * thread) never walks the subscribers. Each subscription belongs to one of a fixed number of lanes. A lane is a
 * serial queue of events, drained by one task at a time on the delivery executor (it has no thread of its own):
 * it takes events in bus order and walks, once per event, its subscribers of that session (an index by session id)
 * and its feeds of that tenant (an index by tenant). So an event costs at most one task per lane, however many
 * subscribers it has, and a subscription with no event for its session costs no work at all. A caught-up subscriber
 * whose listener promises {@link SubscriptionListener#nonBlocking() not to block} gets the event right there, with
 * no task of its own; any other subscriber, and any replay or gap fill (which reads the log), runs in a task of its
 * own on the delivery executor, one at a time per stream. A stream holds no store connection between reads.
 */
final class SubscriptionService implements SessionSubscriptions, EventBus.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionService.class);
    static final int PAGE = 500;
    /** Events a lane may hold before it stops queueing and lets its subscribers catch up from the log instead. */
    static final int LANE_BACKLOG = 65_536;
    /**
     * Lanes, that is the most tasks one event costs: as many as the default delivery pool has threads, so a crowd of
     * subscribers spreads over the whole pool (about 300 each at 19,000), while an event with a few subscribers
     * costs a task or two.
     */
    static final int DEFAULT_LANES = 64;
    /** Events a lane's task fans out before it makes way for other tasks of the executor. */
    private static final int LANE_BATCH = 16;

    /** Reads a session by the same rule as every other read: the live state at the known version, else the store. */
    private final Function<SessionId, Session> sessions;
    private final EventLog log;
    private final AccessPolicy access;
    private final Executor executor;
    private final int bufferSize;
    private final ApplicationMetrics metrics;
    private final KnownVersions known;
    private final Lane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    private volatile boolean shutDown;

    SubscriptionService(Function<SessionId, Session> sessions, EventLog log, AccessPolicy access, Executor executor, int bufferSize,
            ApplicationMetrics metrics, KnownVersions known, int laneCount) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("the subscriber buffer holds at least one event");
        }
        if (laneCount < 1) {
            throw new IllegalArgumentException("fan-out needs at least one lane");
        }
        this.sessions = sessions;
        this.log = log;
        this.access = access;
        this.executor = executor;
        this.bufferSize = bufferSize;
        this.metrics = metrics;
        this.known = known;
        this.lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane();
        }
    }

    @Override
    public Subscription subscribe(Principal principal, SessionId id, long afterSeq, SubscriptionListener listener) {
        if (afterSeq < 0) {
            throw ValidationException.of("after", "must be >= 0");
        }
        Session session = sessions.apply(id);
        access.require(principal, session, Action.STREAM);
        SessionStream stream = new SessionStream(nextLane(), session, afterSeq, listener);
        stream.lane.add(stream);
        metrics.subscriptionOpened();
        stream.requestCatchUp();
        if (shutDown) {
            stream.end(new StreamEnd(StreamEnd.Reason.SHUTDOWN, null));
        }
        return stream;
    }

    @Override
    public Subscription subscribeFeed(Principal principal, long afterPosition, Set<String> types,
            SubscriptionListener listener) {
        if (afterPosition < 0) {
            throw ValidationException.of("after", "must be >= 0");
        }
        access.requireFeed(principal);
        FeedStream feed = new FeedStream(nextLane(), access.feedTenant(principal), Set.copyOf(types), afterPosition,
                listener);
        feed.lane.add(feed);
        metrics.subscriptionOpened();
        feed.signal(Long.MAX_VALUE);
        if (shutDown) {
            feed.end(new StreamEnd(StreamEnd.Reason.SHUTDOWN, null));
        }
        return feed;
    }

    private Lane nextLane() {
        return lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
    }

    /**
     * Called by the bus, from the committing thread or the bus's own: hands the event on and returns at once. A lane
     * that has no subscriber of the session or tenant now is skipped; one that gets one later reads the event from
     * the log, where it is already committed.
     */
    @Override
    public void onEvent(StoredEvent event) {
        // A session's version is the seq of its latest event: every committed event, from any node, is news of it.
        known.saw(event.sessionId(), event.seq());
        for (Lane lane : lanes) {
            if (lane.wants(event)) {
                lane.post(event);
            }
        }
    }

    /**
     * The bus may have lost events, for example during an outage: every stream catches up from the log, and the
     * versions this node knew are forgotten, since other nodes may have committed newer ones meanwhile; reads go to
     * the store until the bus tells of new versions again.
     */
    @Override
    public void onResync() {
        known.forgetAll();
        metrics.busResynced();
        for (Lane lane : lanes) {
            lane.catchUpAll();
        }
    }

    /** Re-reads feeds that were signalled a position they have not delivered yet (still uncommitted then). */
    void pollLaggingFeeds() {
        for (Lane lane : lanes) {
            lane.forEachFeed(FeedStream::signalIfLagging);
        }
    }

    int openStreams() {
        int open = 0;
        for (Lane lane : lanes) {
            open += lane.size();
        }
        return open;
    }

    @Override
    public void close() {
        shutDown = true;
        StreamEnd end = new StreamEnd(StreamEnd.Reason.SHUTDOWN, null);
        for (Lane lane : lanes) {
            lane.forEachSession(stream -> stream.end(end));
            lane.forEachFeed(feed -> feed.end(end));
        }
    }

    /**
     * A serial fan-out queue and the subscriptions it serves, drained by one task at a time on the delivery executor.
     * Its backlog is bounded: past {@link #LANE_BACKLOG} waiting events it stops queueing and, once its task runs
     * again, has all of its streams catch up from the log, which holds every event published, so nothing is lost and
     * memory stays bounded.
     */
    private final class Lane implements Runnable {
        private final ConcurrentMap<SessionId, Set<SessionStream>> bySession = new ConcurrentHashMap<>();
        private final ConcurrentMap<String, Set<FeedStream>> feedsByTenant = new ConcurrentHashMap<>();
        private final Set<FeedStream> everyTenantFeeds = ConcurrentHashMap.newKeySet();
        private final ConcurrentLinkedQueue<StoredEvent> inbox = new ConcurrentLinkedQueue<>();
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean overrun;

        boolean wants(StoredEvent event) {
            return bySession.containsKey(event.sessionId()) || !everyTenantFeeds.isEmpty()
                    || feedsByTenant.containsKey(event.tenantId());
        }

        void post(StoredEvent event) {
            if (waiting.incrementAndGet() > LANE_BACKLOG) {
                waiting.decrementAndGet();
                overrun = true;
            } else {
                inbox.add(event);
            }
            schedule();
        }

        private void schedule() {
            if (shutDown || !scheduled.compareAndSet(false, true)) {
                return;
            }
            try {
                executor.execute(this);
            } catch (RejectedExecutionException shuttingDown) {
                scheduled.set(false);
            }
        }

        @Override
        public void run() {
            try {
                if (overrun) {
                    overrun = false;
                    LOG.warn("fan-out fell {} events behind; its streams catch up from the log", LANE_BACKLOG);
                    catchUpAll();
                }
                for (int i = 0; i < LANE_BATCH; i++) {
                    StoredEvent event = inbox.poll();
                    if (event == null) {
                        break;
                    }
                    waiting.decrementAndGet();
                    try {
                        dispatch(event);
                    } catch (RuntimeException e) {
                        LOG.warn("fan-out of event {} of session {} failed", event.seq(), event.sessionId(), e);
                    }
                }
            } finally {
                scheduled.set(false);
            }
            if (!inbox.isEmpty() || overrun) {
                schedule();
            }
        }

        /** One pass over this lane's subscribers of the event's session, then its feeds that want it. */
        private void dispatch(StoredEvent event) {
            Set<SessionStream> streams = bySession.get(event.sessionId());
            if (streams != null) {
                for (SessionStream stream : streams) {
                    stream.live(event);
                }
            }
            Set<FeedStream> tenantFeeds = feedsByTenant.get(event.tenantId());
            if (tenantFeeds != null) {
                signalFeeds(tenantFeeds, event);
            }
            signalFeeds(everyTenantFeeds, event);
        }

        private void signalFeeds(Set<FeedStream> feeds, StoredEvent event) {
            for (FeedStream feed : feeds) {
                if (feed.wants(event)) {
                    feed.signal(event.position());
                }
            }
        }

        void catchUpAll() {
            forEachSession(SessionStream::requestCatchUp);
            forEachFeed(feed -> feed.signal(Long.MAX_VALUE));
        }

        void add(SessionStream stream) {
            addTo(bySession, stream.id, stream);
        }

        void remove(SessionStream stream) {
            removeFrom(bySession, stream.id, stream);
        }

        void add(FeedStream feed) {
            if (feed.tenantId == null) {
                everyTenantFeeds.add(feed);
            } else {
                addTo(feedsByTenant, feed.tenantId, feed);
            }
        }

        void remove(FeedStream feed) {
            if (feed.tenantId == null) {
                everyTenantFeeds.remove(feed);
            } else {
                removeFrom(feedsByTenant, feed.tenantId, feed);
            }
        }

        void forEachSession(Consumer<SessionStream> action) {
            bySession.values().forEach(streams -> streams.forEach(action));
        }

        void forEachFeed(Consumer<FeedStream> action) {
            everyTenantFeeds.forEach(action);
            feedsByTenant.values().forEach(feeds -> feeds.forEach(action));
        }

        int size() {
            int open = everyTenantFeeds.size();
            for (Set<SessionStream> streams : bySession.values()) {
                open += streams.size();
            }
            for (Set<FeedStream> feeds : feedsByTenant.values()) {
                open += feeds.size();
            }
            return open;
        }
    }

    /**
     * Common life of a stream: ended once, and delivered to by one owner at a time, either a drain task on the
     * executor or, for a live event to a caught-up non-blocking listener, its lane.
     */
    private abstract class Stream implements Subscription, Runnable {
        final Lane lane;
        final SubscriptionListener listener;
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean waitingForDemand;

        Stream(Lane lane, SubscriptionListener listener) {
            this.lane = lane;
            this.listener = listener;
        }

        /** @return whether the caller now owns delivery (no drain task is scheduled or running) */
        final boolean tryOwn() {
            return !closed.get() && scheduled.compareAndSet(false, true);
        }

        /** Gives up ownership taken with {@link #tryOwn()}, and schedules whatever work arrived meanwhile. */
        final void release() {
            scheduled.set(false);
            if (!closed.get() && hasWork()) {
                schedule();
            }
        }

        final void schedule() {
            if (closed.get() || !scheduled.compareAndSet(false, true)) {
                return;
            }
            try {
                executor.execute(this);
            } catch (RejectedExecutionException shuttingDown) {
                scheduled.set(false);
                end(new StreamEnd(StreamEnd.Reason.SHUTDOWN, null));
            }
        }

        @Override
        public final void run() {
            try {
                drain();
            } catch (StoreUnavailableException e) {
                LOG.warn("a stream could not read the event log and ends; its client resumes later", e);
                end(new StreamEnd(StreamEnd.Reason.UNAVAILABLE, null));
            } catch (RuntimeException e) {
                failed(e);
            } finally {
                scheduled.set(false);
            }
            if (!closed.get() && hasWork()) {
                schedule();
            }
        }

        abstract void drain();

        abstract boolean hasWork();

        /** Goes on with a replay that waited for the listener. */
        abstract void onDemand();

        /**
         * @return whether the listener takes another replayed event now; if not, the replay waits for
         *         {@link #demand()}
         */
        final boolean listenerReady() {
            if (listener.ready()) {
                return true;
            }
            waitingForDemand = true;
            // Demand may have come between the two reads; without this second look it would be lost.
            if (listener.ready()) {
                waitingForDemand = false;
                return true;
            }
            return false;
        }

        @Override
        public final void demand() {
            if (waitingForDemand) {
                waitingForDemand = false;
                onDemand();
            }
        }

        abstract void unregister();

        final boolean closedNow() {
            return closed.get();
        }

        /** A listener that threw loses its own subscription, and nobody else notices. */
        final void failed(RuntimeException e) {
            LOG.debug("a subscriber failed while receiving an event; its subscription is closed", e);
            closeSilently("failed");
        }

        final void end(StreamEnd end) {
            if (closeSilently(end.reason().name().toLowerCase(java.util.Locale.ROOT))) {
                try {
                    listener.onEnd(end);
                } catch (RuntimeException e) {
                    LOG.debug("a subscriber failed while being told its subscription ended", e);
                }
            }
        }

        private boolean closeSilently(String reason) {
            if (!closed.compareAndSet(false, true)) {
                return false;
            }
            unregister();
            metrics.subscriptionEnded(reason);
            return true;
        }

        @Override
        public final void close() {
            closeSilently("closed");
        }

        @Override
        public final boolean isClosed() {
            return closed.get();
        }
    }

    /** A subscription to one session's events. */
    private final class SessionStream extends Stream {
        private final SessionId id;
        /** The status when subscribed, if terminal (then the stream ends once it has delivered up to its seq). */
        private final SessionStatus terminalAtSubscribe;
        private final long lastSeqAtSubscribe;
        private final boolean inline;
        // Bounded by the counter rather than by a preallocated array: an idle stream costs a few bytes, not a slot
        // per buffered event, which matters with tens of thousands of open streams.
        private final ConcurrentLinkedQueue<StoredEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private volatile boolean catchUpRequested;
        private volatile boolean overflowed;
        private boolean replayed;
        private long lastSeq;

        SessionStream(Lane lane, Session session, long afterSeq, SubscriptionListener listener) {
            super(lane, listener);
            this.id = session.id();
            // Only what the end check needs: the whole session (input, title, …) need not stay in memory per stream.
            this.terminalAtSubscribe = session.status().isTerminal() ? session.status() : null;
            this.lastSeqAtSubscribe = session.lastEventSeq();
            this.inline = listener.nonBlocking();
            this.lastSeq = afterSeq;
        }

        /**
         * A live event from the lane. A caught-up non-blocking listener gets the next seq right here and a duplicate
         * is dropped; everything else (a blocking listener, a stream still replaying, busy, or facing a jump) goes
         * through the bounded queue to a drain task.
         */
        void live(StoredEvent event) {
            if (inline && tryOwn()) {
                boolean handled = false;
                try {
                    if (replayed && !catchUpRequested && !overflowed && !waitingForDemand && queue.isEmpty()
                            && event.seq() <= lastSeq + 1) {
                        handled = true;
                        if (event.seq() == lastSeq + 1) {
                            deliver(event);
                        }
                    }
                } catch (RuntimeException e) {
                    failed(e);
                    handled = true;
                } finally {
                    release();
                }
                if (handled) {
                    return;
                }
            }
            offer(event);
        }

        void offer(StoredEvent event) {
            if (closedNow()) {
                return;
            }
            if (queued.incrementAndGet() > bufferSize) {
                queued.decrementAndGet();
                overflowed = true;
            } else {
                queue.add(event);
            }
            schedule();
        }

        void requestCatchUp() {
            catchUpRequested = true;
            schedule();
        }

        @Override
        boolean hasWork() {
            return overflowed || (!waitingForDemand && (catchUpRequested || !queue.isEmpty()));
        }

        @Override
        void onDemand() {
            requestCatchUp();
        }

        @Override
        void drain() {
            while (!closedNow()) {
                if (overflowed) {
                    queue.clear();
                    end(new StreamEnd(StreamEnd.Reason.OVERFLOW, null));
                    return;
                }
                if (waitingForDemand) {
                    // Live events wait in the bounded queue meanwhile; demand() starts the replay again.
                    return;
                }
                if (catchUpRequested) {
                    catchUpRequested = false;
                    catchUp();
                    if (!replayed && !waitingForDemand) {
                        replayed = true;
                        endIfFinished();
                    }
                    continue;
                }
                StoredEvent event = queue.poll();
                if (event != null) {
                    queued.decrementAndGet();
                }
                if (event == null) {
                    return;
                }
                if (event.seq() > lastSeq + 1) {
                    // A jump: the bus lost or reordered something. The log has it, since events are published
                    // only after their commit.
                    catchUp();
                } else if (event.seq() == lastSeq + 1) {
                    deliver(event);
                }
            }
        }

        private void catchUp() {
            while (!closedNow()) {
                List<StoredEvent> page = log.readSession(id, lastSeq, PAGE);
                for (StoredEvent event : page) {
                    if (closedNow() || !listenerReady()) {
                        // Stopped for the listener: the log keeps the rest, read again after lastSeq on demand.
                        return;
                    }
                    deliver(event);
                }
                if (page.size() < PAGE) {
                    return;
                }
            }
        }

        /** A terminal session whose every event the subscriber has seen ends at once. */
        private void endIfFinished() {
            if (!closedNow() && terminalAtSubscribe != null && lastSeq >= lastSeqAtSubscribe) {
                end(new StreamEnd(StreamEnd.Reason.TERMINAL, terminalAtSubscribe));
            }
        }

        private void deliver(StoredEvent event) {
            listener.onEvent(event);
            lastSeq = event.seq();
            if (event.isTerminal()) {
                SessionStatus status = SessionEvent.terminalStatusOf(event.type());
                end(new StreamEnd(StreamEnd.Reason.TERMINAL, status));
            }
        }

        @Override
        void unregister() {
            queue.clear();
            lane.remove(this);
        }
    }

    /** A subscription to the event feed of a tenant, or of every tenant. */
    private final class FeedStream extends Stream {
        private final String tenantId;
        private final Set<String> types;
        private final AtomicLong highestSignalled = new AtomicLong();
        private volatile boolean pending;
        private volatile long lastPosition;

        FeedStream(Lane lane, String tenantId, Set<String> types, long afterPosition, SubscriptionListener listener) {
            super(lane, listener);
            this.tenantId = tenantId;
            this.types = types;
            this.lastPosition = afterPosition;
        }

        boolean wants(StoredEvent event) {
            return (tenantId == null || tenantId.equals(event.tenantId()))
                    && (types.isEmpty() || types.contains(event.type()));
        }

        void signal(long position) {
            highestSignalled.accumulateAndGet(position, Math::max);
            pending = true;
            schedule();
        }

        void signalIfLagging() {
            long signalled = highestSignalled.get();
            if (signalled != Long.MAX_VALUE && signalled > lastPosition) {
                pending = true;
                schedule();
            }
        }

        @Override
        boolean hasWork() {
            return pending && !waitingForDemand;
        }

        @Override
        void onDemand() {
            pending = true;
            schedule();
        }

        @Override
        void drain() {
            while (pending && !closedNow() && !waitingForDemand) {
                pending = false;
                List<StoredEvent> page;
                do {
                    page = log.readFeed(new FeedQuery(tenantId, lastPosition, types, PAGE));
                    for (StoredEvent event : page) {
                        if (closedNow()) {
                            return;
                        }
                        if (!listenerReady()) {
                            pending = true;
                            return;
                        }
                        listener.onEvent(event);
                        lastPosition = event.position();
                    }
                } while (page.size() == PAGE);
                // Signalled "everything" (at start or on resync): from now on only real positions count.
                highestSignalled.compareAndSet(Long.MAX_VALUE, lastPosition);
            }
        }

        @Override
        void unregister() {
            lane.remove(this);
        }
    }

    /** Adds to the set under {@code key}, creating it, atomically with respect to {@link #removeFrom}. */
    private static <K, V> void addTo(ConcurrentMap<K, Set<V>> index, K key, V value) {
        index.compute(key, (k, values) -> {
            Set<V> set = values == null ? ConcurrentHashMap.newKeySet() : values;
            set.add(value);
            return set;
        });
    }

    /** Removes from the set under {@code key}, and the set once empty, so an index holds only keys in use. */
    private static <K, V> void removeFrom(ConcurrentMap<K, Set<V>> index, K key, V value) {
        index.computeIfPresent(key, (k, values) -> {
            values.remove(value);
            return values.isEmpty() ? null : values;
        });
    }
}
