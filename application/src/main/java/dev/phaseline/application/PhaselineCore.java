package dev.phaseline.application;

import dev.phaseline.application.inprocess.InProcessEventBus;
import dev.phaseline.application.inprocess.InProcessLiveStateCache;
import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.IdGenerator;
import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.domain.PhaseOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application, built from its ports: the one entry point for the server and for embedders.
 *
 * <pre>{@code
 * try (PhaselineCore core = PhaselineCore.builder().store(store).eventLog(log).build()) {
 *     Session session = core.commands().create(alice, new CreateSession("demo", "Plan", null)).session();
 * }
 * }</pre>
 *
 * <p>Without a cache or bus it uses the in-process ones, for a single node. It starts the heartbeat sweeper unless
 * the sweep interval is zero, and owns its threads until {@link #close()}. A commit hands its events to the
 * fan-out, which walks the subscribers on the delivery executor, so the committing thread never waits for them.
 */
public final class PhaselineCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PhaselineCore.class);

    private final CommandService commands;
    private final QueryService queries;
    private final SubscriptionService subscriptions;
    private final HeartbeatSweeper sweeper;
    private final EventBus.Registration busRegistration;
    private final EventBus ownedBus;
    private final ExecutorService ownedDelivery;
    private final ScheduledExecutorService scheduler;

    private PhaselineCore(Builder builder) {
        SessionStore store = Objects.requireNonNull(builder.store, "a session store is required");
        EventLog log = Objects.requireNonNull(builder.eventLog, "an event log is required");
        LiveStateCache cache = builder.cache != null ? builder.cache : new InProcessLiveStateCache();
        ownedBus = builder.bus == null ? new InProcessEventBus() : null;
        EventBus bus = builder.bus != null ? builder.bus : ownedBus;
        ownedDelivery = builder.deliveryExecutor == null ? defaultDeliveryExecutor() : null;
        AccessPolicy access = new AccessPolicy();
        KnownVersions known = new KnownVersions(KnownVersions.DEFAULT_CAPACITY);
        Propagation propagation = new Propagation(cache, bus, builder.metrics, known, builder.clock);
        commands = new CommandService(store, propagation, access, builder.clock, builder.ids, builder.phaseOrders,
                builder.metrics);
        queries = new QueryService(store, log, cache, propagation, access, builder.metrics, known);
        subscriptions = new SubscriptionService(queries::load, log, access,
                builder.deliveryExecutor != null ? builder.deliveryExecutor : ownedDelivery,
                builder.subscriberBuffer, builder.metrics, known, SubscriptionService.DEFAULT_LANES);
        sweeper = new HeartbeatSweeper(store, commands, builder.clock, builder.heartbeatTimeout);
        busRegistration = bus.subscribe(subscriptions);
        scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("phaseline-scheduler"));
        scheduler.scheduleWithFixedDelay(this::pollLaggingFeeds, 500, 500, TimeUnit.MILLISECONDS);
        if (!builder.sweepInterval.isZero()) {
            long every = builder.sweepInterval.toMillis();
            scheduler.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** @return a builder; a store and an event log are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the commands */
    public SessionCommands commands() {
        return commands;
    }

    /** @return the queries */
    public SessionQueries queries() {
        return queries;
    }

    /** @return the subscriptions */
    public SessionSubscriptions subscriptions() {
        return subscriptions;
    }

    /**
     * Fails every running session whose worker has not shown life within the heartbeat timeout, now. The core also
     * does this on its own every sweep interval.
     *
     * @return how many sessions were failed with code {@code worker_lost}
     */
    public int sweepStaleSessions() {
        return sweeper.sweepOnce();
    }

    /** @return the number of open subscriptions on this node */
    public int openSubscriptions() {
        return subscriptions.openStreams();
    }

    /** Ends every subscription ({@code shutdown}), stops the sweeper and releases the threads and bus it owns. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        busRegistration.close();
        subscriptions.close();
        if (ownedDelivery != null) {
            ownedDelivery.shutdown();
        }
        if (ownedBus != null) {
            ownedBus.close();
        }
    }

    private void sweepQuietly() {
        try {
            sweeper.sweepOnce();
        } catch (RuntimeException e) {
            LOG.warn("heartbeat sweep failed; it runs again at the next interval", e);
        }
    }

    private void pollLaggingFeeds() {
        try {
            subscriptions.pollLaggingFeeds();
        } catch (RuntimeException e) {
            LOG.warn("feed poll failed", e);
        }
    }

    /**
     * A bounded pool: a subscriber that blocks holds one of its threads, never the publisher or the fan-out; idle
     * threads end.
     */
    private static ExecutorService defaultDeliveryExecutor() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(64, 64, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("phaseline-delivery"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Builds a {@link PhaselineCore}. */
    public static final class Builder {
        private SessionStore store;
        private EventLog eventLog;
        private LiveStateCache cache;
        private EventBus bus;
        private Clock clock = Clock.systemUTC();
        private IdGenerator ids = IdGenerator.RANDOM;
        private ApplicationMetrics metrics = ApplicationMetrics.NONE;
        private final Map<String, PhaseOrder> phaseOrders = new HashMap<>();
        private int subscriberBuffer = 1024;
        private Duration heartbeatTimeout = Duration.ofMinutes(5);
        private Duration sweepInterval = Duration.ofSeconds(30);
        private java.util.concurrent.Executor deliveryExecutor;

        private Builder() {
        }

        /**
         * @param store the source of truth (required)
         * @return this builder
         */
        public Builder store(SessionStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param eventLog the log the store appends to (required)
         * @return this builder
         */
        public Builder eventLog(EventLog eventLog) {
            this.eventLog = Objects.requireNonNull(eventLog, "eventLog");
            return this;
        }

        /**
         * @param cache the live-state cache; default an {@link InProcessLiveStateCache}
         * @return this builder
         */
        public Builder cache(LiveStateCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * @param bus the event bus, which the caller closes; default an {@link InProcessEventBus} the core owns
         * @return this builder
         */
        public Builder bus(EventBus bus) {
            this.bus = Objects.requireNonNull(bus, "bus");
            return this;
        }

        /**
         * @param clock where time comes from; default the UTC system clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param ids where new session ids come from; default random UUIDs
         * @return this builder
         */
        public Builder ids(IdGenerator ids) {
            this.ids = Objects.requireNonNull(ids, "ids");
            return this;
        }

        /**
         * @param metrics where measurements go; default nowhere
         * @return this builder
         */
        public Builder metrics(ApplicationMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Declares the phase order of a workflow; its sessions may then only move forward along it.
         *
         * @param workflow the workflow name
         * @param order    the order
         * @return this builder
         */
        public Builder phaseOrder(String workflow, PhaseOrder order) {
            phaseOrders.put(Objects.requireNonNull(workflow, "workflow"), Objects.requireNonNull(order, "order"));
            return this;
        }

        /**
         * @param events how many events each subscriber may fall behind before its stream ends; default 1024
         * @return this builder
         */
        public Builder subscriberBuffer(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("the subscriber buffer holds at least one event");
            }
            this.subscriberBuffer = events;
            return this;
        }

        /**
         * @param timeout how long a running session may go without a worker heartbeat; default 5 minutes
         * @return this builder
         */
        public Builder heartbeatTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the heartbeat timeout must be positive");
            }
            this.heartbeatTimeout = timeout;
            return this;
        }

        /**
         * @param interval how often to sweep for sessions without heartbeat; {@link Duration#ZERO} to never sweep on
         *                 its own (call {@link PhaselineCore#sweepStaleSessions()}); default 30 seconds
         * @return this builder
         */
        public Builder sweepInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("the sweep interval must not be negative");
            }
            this.sweepInterval = interval;
            return this;
        }

        /**
         * @param executor runs replays and gap fills from the log, and the deliveries to listeners that may block
         *                 (for example virtual threads on Java 21+); default a pool of up to 64 daemon threads that
         *                 the core owns. The fan-out runs there too: per event at most one task per lane (64), each
         *                 handing the event to its share of the subscribers, straight to caught-up
         *                 {@link SubscriptionListener#nonBlocking() non-blocking} listeners.
         * @return this builder
         */
        public Builder deliveryExecutor(java.util.concurrent.Executor executor) {
            this.deliveryExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** @return the running core */
        public PhaselineCore build() {
            return new PhaselineCore(this);
        }
    }
}
