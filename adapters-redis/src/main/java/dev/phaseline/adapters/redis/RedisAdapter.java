package dev.phaseline.adapters.redis;

import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.LiveStateCache;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis adapter, started as one unit: it connects to Redis (one connection for commands, one for the
 * subscription), and then offers the {@link #cache()} and the {@link #bus()} of this node. Every node of a cluster
 * starts its own adapter against the same Redis and key prefix.
 *
 * <pre>{@code
 * try (RedisAdapter redis = RedisAdapter.connect(RedisSettings.of(URI.create("redis://127.0.0.1:6379")))) {
 *     PhaselineCore core = PhaselineCore.builder().cache(redis.cache()).bus(redis.bus()) ... .build();
 * }
 * }</pre>
 *
 * <p>While Redis is unreachable, commands are rejected at once rather than queued, and a command on a live but slow
 * connection fails after {@link RedisSettings#commandTimeout()}: Redis being down never holds a caller up. Both
 * connections reconnect by themselves.
 */
public final class RedisAdapter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisAdapter.class);

    /**
     * Between reconnect attempts: from 100 ms, doubling, at most 5 s, with jitter so that the nodes of a cluster do
     * not all knock at once. Lettuce's default grows to 30 s, which would keep a node off the bus and out of the
     * cache for up to half a minute after Redis is back.
     */
    private static final Delay RECONNECT_DELAY =
            Delay.equalJitter(Duration.ofMillis(100), Duration.ofSeconds(5), 100, TimeUnit.MILLISECONDS);

    private final RedisSettings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final RedisLiveStateCache cache;
    private final RedisEventBus bus;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisAdapter(RedisSettings settings, ClientResources resources, RedisClient client,
            StatefulRedisConnection<String, String> commands, StatefulRedisPubSubConnection<String, String> pubSub) {
        this.settings = settings;
        this.resources = resources;
        this.client = client;
        this.commands = commands;
        this.pubSub = pubSub;
        ConnectionHealth health = new ConnectionHealth();
        this.cache = new RedisLiveStateCache(commands.sync(), health, settings.keyPrefix(), settings.cacheTtl());
        this.bus = new RedisEventBus(commands.async(), health, pubSub, settings.keyPrefix());
    }

    /**
     * Connects and subscribes.
     *
     * @param settings where Redis is and how to use it
     * @return the connected adapter
     * @throws RedisStartupException naming the URL (without its password) if Redis cannot be reached or refuses
     */
    public static RedisAdapter connect(RedisSettings settings) {
        Objects.requireNonNull(settings, "settings");
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(RECONNECT_DELAY)
                .build();
        RedisClient client = null;
        StatefulRedisConnection<String, String> commands = null;
        StatefulRedisPubSubConnection<String, String> pubSub = null;
        try {
            RedisURI uri = RedisURI.create(settings.url());
            // The URI's timeout bounds connecting and the handshake (HELLO, AUTH, SELECT); commands have their own,
            // shorter timeout in the client options.
            uri.setTimeout(connectTimeout(settings));
            client = RedisClient.create(resources, uri);
            client.setOptions(clientOptions(settings));
            commands = client.connect();
            pubSub = client.connectPubSub();
            return new RedisAdapter(settings, resources, client, commands, pubSub);
        } catch (RuntimeException e) {
            closeQuietly(pubSub);
            closeQuietly(commands);
            shutdown(client, resources);
            throw new RedisStartupException(describe(settings, e), e);
        }
    }

    /** An error reply (a wrong password, say) is named as such: Lettuce's own message would only say it failed. */
    private static String describe(RedisSettings settings, RuntimeException failure) {
        Optional<RedisCommandExecutionException> refused = causes(failure)
                .filter(RedisCommandExecutionException.class::isInstance).map(RedisCommandExecutionException.class::cast)
                .findFirst();
        if (refused.isPresent()) {
            return "Redis at " + settings.redactedUrl() + " refused the connection: " + refused.get().getMessage();
        }
        Throwable root = causes(failure).reduce((first, second) -> second).orElse(failure);
        return "Redis is unreachable at " + settings.redactedUrl() + ": " + failure.getMessage()
                + (root == failure ? "" : " (" + root + ")");
    }

    /** @return the failure and its causes, outermost first */
    static Stream<Throwable> causes(Throwable failure) {
        return Stream.iterate(failure, Objects::nonNull, cause -> cause.getCause() == cause ? null : cause.getCause());
    }

    static ClientOptions clientOptions(RedisSettings settings) {
        Duration timeout = settings.commandTimeout();
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(connectTimeout(settings))
                        .keepAlive(true)
                        .build())
                .build();
    }

    /**
     * Connecting is not on any caller's path (it happens at startup and in the background on reconnect), so it may
     * take longer than a command: a busy machine must not fail startup for a slow handshake.
     */
    private static Duration connectTimeout(RedisSettings settings) {
        Duration floor = Duration.ofSeconds(5);
        return settings.commandTimeout().compareTo(floor) < 0 ? floor : settings.commandTimeout();
    }

    /** @return this node's live-state cache */
    public LiveStateCache cache() {
        return cache;
    }

    /** @return this node's event bus; closing it stops its delivery, closing the adapter closes it too */
    public EventBus bus() {
        return bus;
    }

    /**
     * For the readiness check: asks Redis for a {@code PONG}, within the command timeout at most.
     *
     * @return whether Redis answered; never throws
     */
    public boolean ping() {
        try {
            return "PONG".equalsIgnoreCase(commands.sync().ping());
        } catch (RuntimeException e) {
            LOG.debug("Redis ping failed: {}", e.toString());
            return false;
        }
    }

    /** @return the settings the adapter was connected with */
    public RedisSettings settings() {
        return settings;
    }

    /** Closes the bus, both connections and the client's threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        bus.close();
        closeQuietly(pubSub);
        closeQuietly(commands);
        shutdown(client, resources);
    }

    private static void closeQuietly(AutoCloseable connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (Exception e) {
            LOG.debug("Closing a Redis connection failed: {}", e.toString());
        }
    }

    private static void shutdown(RedisClient client, ClientResources resources) {
        try {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } catch (RuntimeException e) {
            LOG.debug("Shutting the Redis client down failed: {}", e.toString());
        }
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("Shutting the Redis client resources down failed: {}", e.toString());
        }
    }
}
