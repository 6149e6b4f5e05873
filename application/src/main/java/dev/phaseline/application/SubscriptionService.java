package dev.phaseline.application;

import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.FeedQuery;
import dev.phaseline.application.port.SessionStore;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Deliveries run on the delivery executor, one task at a time per stream; a stream holds no store connection
 * between reads.
 */
final class SubscriptionService implements SessionSubscriptions, EventBus.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionService.class);
    static final int PAGE = 500;

    private final SessionStore store;
    private final EventLog log;
    private final AccessPolicy access;
    private final Executor executor;
    private final int bufferSize;
    private final ApplicationMetrics metrics;
    private final KnownVersions known;
    private final Map<SessionId, Set<SessionStream>> bySession = new ConcurrentHashMap<>();
    private final Set<FeedStream> feeds = ConcurrentHashMap.newKeySet();
    private volatile boolean shutDown;

    SubscriptionService(SessionStore store, EventLog log, AccessPolicy access, Executor executor, int bufferSize,
            ApplicationMetrics metrics, KnownVersions known) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("the subscriber buffer holds at least one event");
        }
        this.store = store;
        this.log = log;
        this.access = access;
        this.executor = executor;
        this.bufferSize = bufferSize;
        this.metrics = metrics;
        this.known = known;
    }

    @Override
    public Subscription subscribe(Principal principal, SessionId id, long afterSeq, SubscriptionListener listener) {
        if (afterSeq < 0) {
            throw ValidationException.of("after", "must be >= 0");
        }
        Session session = store.find(id).orElseThrow(() -> new SessionNotFoundException(id));
        access.require(principal, session, Action.STREAM);
        SessionStream stream = new SessionStream(session, afterSeq, listener);
        bySession.compute(id, (key, streams) -> {
            Set<SessionStream> set = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            set.add(stream);
            return set;
        });
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
        FeedStream feed = new FeedStream(access.feedTenant(principal), Set.copyOf(types), afterPosition, listener);
        feeds.add(feed);
        metrics.subscriptionOpened();
        feed.signal(Long.MAX_VALUE);
        if (shutDown) {
            feed.end(new StreamEnd(StreamEnd.Reason.SHUTDOWN, null));
        }
        return feed;
    }

    @Override
    public void onEvent(StoredEvent event) {
        // A session's version is the seq of its latest event: every committed event, from any node, is news of it.
        known.saw(event.sessionId(), event.seq());
        Set<SessionStream> streams = bySession.get(event.sessionId());
        if (streams != null) {
            for (SessionStream stream : streams) {
                stream.offer(event);
            }
        }
        for (FeedStream feed : feeds) {
            if (feed.wants(event)) {
                feed.signal(event.position());
            }
        }
    }

    @Override
    public void onResync() {
        known.forgetAll();
        bySession.values().forEach(streams -> streams.forEach(SessionStream::requestCatchUp));
        feeds.forEach(feed -> feed.signal(Long.MAX_VALUE));
    }

    /** Re-reads feeds that were signalled a position they have not delivered yet (still uncommitted then). */
    void pollLaggingFeeds() {
        feeds.forEach(FeedStream::signalIfLagging);
    }

    int openStreams() {
        return bySession.values().stream().mapToInt(Set::size).sum() + feeds.size();
    }

    @Override
    public void close() {
        shutDown = true;
        StreamEnd end = new StreamEnd(StreamEnd.Reason.SHUTDOWN, null);
        bySession.values().forEach(streams -> streams.forEach(stream -> stream.end(end)));
        feeds.forEach(feed -> feed.end(end));
    }

    /** Common life of a stream: one drain task at a time on the executor, ended once. */
    private abstract class Stream implements Subscription, Runnable {
        final SubscriptionListener listener;
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean waitingForDemand;

        Stream(SubscriptionListener listener) {
            this.listener = listener;
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
                LOG.debug("a subscriber failed while receiving an event; its subscription is closed", e);
                closeSilently("failed");
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
        private final Session atSubscribe;
        // Bounded by the counter rather than by a preallocated array: an idle stream costs a few bytes, not a slot
        // per buffered event, which matters with tens of thousands of open streams.
        private final ConcurrentLinkedQueue<StoredEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private volatile boolean catchUpRequested;
        private volatile boolean overflowed;
        private boolean replayed;
        private long lastSeq;

        SessionStream(Session session, long afterSeq, SubscriptionListener listener) {
            super(listener);
            this.id = session.id();
            this.atSubscribe = session;
            this.lastSeq = afterSeq;
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
            if (!closedNow() && atSubscribe.status().isTerminal() && lastSeq >= atSubscribe.lastEventSeq()) {
                end(new StreamEnd(StreamEnd.Reason.TERMINAL, atSubscribe.status()));
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
            bySession.computeIfPresent(id, (key, streams) -> {
                streams.remove(this);
                return streams.isEmpty() ? null : streams;
            });
        }
    }

    /** A subscription to the event feed of a tenant, or of every tenant. */
    private final class FeedStream extends Stream {
        private final String tenantId;
        private final Set<String> types;
        private final AtomicLong highestSignalled = new AtomicLong();
        private volatile boolean pending;
        private volatile long lastPosition;

        FeedStream(String tenantId, Set<String> types, long afterPosition, SubscriptionListener listener) {
            super(listener);
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
            feeds.remove(this);
        }
    }
}
