package dev.phaseline.adapters.redis;

import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.StoredEvent;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-node event bus on Redis pub/sub: every publish call becomes one message on the channel
 * {@code <prefix>events}, and every node subscribed to it hands the events to its listeners.
 *
 * <p><b>Why pub/sub and not streams.</b> The bus only has to be fast, not durable: the event log in PostgreSQL is the
 * record, and a subscriber that may have missed something fills the gap from it (by seq, on a jump, and on
 * {@link Listener#onResync()}). Pub/sub gives the lowest latency (one push per message, no polling or blocking
 * {@code XREAD} connection per node), and Redis keeps nothing, so there is nothing to trim, no consumer offsets to
 * track and no memory growth when a node is gone. A stream would duplicate the durable log inside Redis, need
 * {@code MAXLEN} trimming, and still lose everything on a {@code FLUSHALL} or a restart, so subscribers would need
 * the same refill from PostgreSQL anyway.
 *
 * <p><b>Delivery.</b> Each listener is called on this bus's own single thread, in the order events reach the node.
 * Events published on this node are handed to its listeners directly, in publish order, before they go to Redis, so
 * the streams of one node keep flowing while Redis is down; the copies Redis sends back are recognised by the random
 * node id every message starts with, and ignored without being decoded. Events from other nodes are delivered in the order received. A
 * listener that throws is logged and never keeps the others from their events.
 *
 * <p><b>Sending.</b> {@link #publish} hands the message to the connection and returns without waiting for Redis's
 * reply: the connection keeps the order of everything sent on it, and a commit need not wait for the other nodes.
 * A publish that fails after it was sent is logged (once per run of failures) and counted
 * ({@link #failedPublishes()}); the other nodes' subscribers then fill the gap from the durable log.
 *
 * <p><b>Outages.</b> While Redis is known to be unreachable, {@link #publish} fails fast with
 * {@link RedisUnavailableException} (after local delivery). Lettuce reconnects the subscription by itself; once
 * Redis confirms the renewed subscription, every listener gets {@link Listener#onResync()}, because messages sent
 * while the connection was down are lost.
 */
final class RedisEventBus implements EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(RedisEventBus.class);

    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final String channel;
    private final String nodeId = UUID.randomUUID().toString();
    /** How every message of this node begins: its node id is the first member, so own copies need no decoding. */
    private final String ownPrefix = RedisJson.messagePrefix(nodeId);
    private final AtomicLong failedPublishes = new AtomicLong();
    private final ConnectionHealth health;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery;
    private final AtomicBoolean subscribedOnce = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RedisPubSubAdapter<String, String> redisListener = new RedisPubSubAdapter<>() {
        @Override
        public void message(String from, String message) {
            if (channel.equals(from)) {
                received(message);
            }
        }

        @Override
        public void subscribed(String to, long count) {
            if (channel.equals(to) && subscribedOnce.getAndSet(true)) {
                resubscribed();
            }
        }
    };

    /**
     * Subscribes at once, and returns only when Redis confirmed the subscription.
     *
     * @throws RedisException if Redis refuses or cannot be reached
     */
    RedisEventBus(RedisAsyncCommands<String, String> redis, ConnectionHealth health,
            StatefulRedisPubSubConnection<String, String> pubSub, String keyPrefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.health = Objects.requireNonNull(health, "health");
        this.pubSub = Objects.requireNonNull(pubSub, "pubSub");
        this.channel = keyPrefix + "events";
        this.delivery = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "phaseline-redis-bus");
            thread.setDaemon(true);
            return thread;
        });
        pubSub.addListener(redisListener);
        try {
            pubSub.sync().subscribe(channel);
        } catch (RuntimeException e) {
            pubSub.removeListener(redisListener);
            delivery.shutdownNow();
            throw e;
        }
    }

    @Override
    public void publish(List<StoredEvent> events) {
        Objects.requireNonNull(events, "events");
        if (closed.get()) {
            throw new IllegalStateException("the bus is closed");
        }
        if (events.isEmpty()) {
            return;
        }
        List<StoredEvent> batch = List.copyOf(events);
        deliver(batch);
        String message = RedisJson.messageToJson(ownPrefix, batch);
        RedisFuture<Long> sent = redis.publish(channel, message);
        if (sent.isDone() || health.failing()) {
            // Rejected at once (the connection is known to be down), or the last command failed: then the caller
            // waits for the reply (at most the command timeout) and learns from this call whether Redis is back.
            awaitSent(sent, batch.size());
            return;
        }
        sent.whenComplete((receivers, failure) -> sent(batch.size(), failure));
    }

    /** @return how many publish calls failed after they were handed to the connection, since the start */
    long failedPublishes() {
        return failedPublishes.get();
    }

    private void awaitSent(RedisFuture<Long> sent, int events) {
        try {
            sent.get();
            sent(events, null);
        } catch (ExecutionException e) {
            health.failed();
            RedisException cause = e.getCause() instanceof RedisException known ? known
                    : new RedisException(String.valueOf(e.getCause()), e.getCause());
            throw RedisLiveStateCache.unavailable("publish " + events + " event(s) to other nodes", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("interrupted while publishing", e);
        } catch (CancellationException e) {
            throw new RedisUnavailableException("Redis is unavailable: the publish was cancelled", e);
        }
    }

    /** Runs when Redis answered, or the command failed or timed out (on the connection's thread if not awaited). */
    private void sent(int events, Throwable failure) {
        if (failure == null) {
            if (health.succeeded()) {
                LOG.info("Publishing to {} works again ({} publish call(s) failed after sending so far)", channel,
                        failedPublishes.get());
            }
            return;
        }
        failedPublishes.incrementAndGet();
        if (health.failed() && !closed.get()) {
            LOG.warn("Could not publish {} event(s) to other nodes; their subscribers will catch up from the log."
                    + " Further failures are counted, not logged, until the connection works again", events, failure);
        }
    }

    @Override
    public Registration subscribe(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new IllegalStateException("the bus is closed");
        }
        Subscriber subscriber = new Subscriber(listener);
        subscribers.add(subscriber);
        return subscriber;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscribers.clear();
        pubSub.removeListener(redisListener);
        try {
            // Waits (at most the command timeout; not at all while disconnected) so that nothing of it is pending
            // when the adapter shuts the connection down right after.
            pubSub.sync().unsubscribe(channel);
        } catch (RuntimeException e) {
            LOG.debug("Could not unsubscribe from {}: {}", channel, e.toString());
        }
        delivery.shutdownNow();
        try {
            delivery.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the channel this bus publishes to and listens on */
    String channel() {
        return channel;
    }

    private void received(String message) {
        if (closed.get() || message.startsWith(ownPrefix)) {
            return;
        }
        RedisJson.Message decoded;
        try {
            decoded = RedisJson.messageFromJson(message);
        } catch (RuntimeException e) {
            LOG.warn("Ignoring a bus message that cannot be decoded ({}): {}", e.toString(), abbreviate(message));
            return;
        }
        if (!nodeId.equals(decoded.node())) {
            deliver(decoded.events());
        }
    }

    private void resubscribed() {
        LOG.info("Subscription to {} renewed after a reconnect; listeners refill from the durable log", channel);
        run(() -> {
            for (Subscriber subscriber : subscribers) {
                subscriber.resync();
            }
        });
    }

    private void deliver(List<StoredEvent> events) {
        if (subscribers.isEmpty()) {
            // Nobody to hand them to: spares the delivery thread a wake-up per publish.
            return;
        }
        run(() -> {
            for (StoredEvent event : events) {
                for (Subscriber subscriber : subscribers) {
                    subscriber.deliver(event);
                }
            }
        });
    }

    private void run(Runnable task) {
        if (closed.get()) {
            return;
        }
        try {
            delivery.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed in between: nothing more is delivered.
        }
    }

    /** A listener's failure, even an assertion or a linkage error, is its own; running out of memory is not. */
    private static void rethrowIfFatal(Throwable failure) {
        if (failure instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** One listener and whether its registration is still open. */
    private final class Subscriber implements Registration {

        private final Listener listener;
        private volatile boolean open = true;

        Subscriber(Listener listener) {
            this.listener = listener;
        }

        void deliver(StoredEvent event) {
            if (!open || closed.get()) {
                return;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                LOG.warn("A bus listener failed on event {} of session {}", event.seq(), event.sessionId(), e);
            }
        }

        void resync() {
            if (!open || closed.get()) {
                return;
            }
            try {
                listener.onResync();
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                LOG.warn("A bus listener failed to resync", e);
            }
        }

        @Override
        public void close() {
            open = false;
            subscribers.remove(this);
        }
    }
}
