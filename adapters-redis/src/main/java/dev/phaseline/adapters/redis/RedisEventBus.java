package dev.phaseline.adapters.redis;

import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.StoredEvent;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * node id every message carries and ignored. Events from other nodes are delivered in the order received. A
 * listener that throws is logged and never keeps the others from their events.
 *
 * <p><b>Outages.</b> While Redis is unreachable, {@link #publish} fails fast with
 * {@link RedisUnavailableException} (after local delivery). Lettuce reconnects the subscription by itself; once
 * Redis confirms the renewed subscription, every listener gets {@link Listener#onResync()}, because messages sent
 * while the connection was down are lost.
 */
final class RedisEventBus implements EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(RedisEventBus.class);

    private final RedisCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final String channel;
    private final String nodeId = UUID.randomUUID().toString();
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
    RedisEventBus(RedisCommands<String, String> redis, StatefulRedisPubSubConnection<String, String> pubSub,
            String keyPrefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
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
        String message = RedisJson.messageToJson(nodeId, batch);
        try {
            redis.publish(channel, message);
        } catch (RedisException e) {
            throw RedisLiveStateCache.unavailable("publish " + batch.size() + " event(s) to other nodes", e);
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
        if (closed.get()) {
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
