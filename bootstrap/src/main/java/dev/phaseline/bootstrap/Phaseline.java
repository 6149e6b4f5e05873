package dev.phaseline.bootstrap;

import dev.phaseline.adapters.http.HttpApi;
import dev.phaseline.adapters.http.HttpSettings;
import dev.phaseline.adapters.http.MicrometerApplicationMetrics;
import dev.phaseline.adapters.http.TokenIssuer;
import dev.phaseline.adapters.postgres.PostgresAdapter;
import dev.phaseline.adapters.postgres.PostgresSettings;
import dev.phaseline.adapters.postgres.PostgresStartupException;
import dev.phaseline.adapters.redis.RedisAdapter;
import dev.phaseline.adapters.redis.RedisSettings;
import dev.phaseline.adapters.redis.RedisStartupException;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.PhaseOrder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Phaseline: PostgreSQL (external or embedded), the application core with the in-process cache and bus (or,
 * with {@code redisUrl}, Redis as the live-state cache and the cross-node bus, so that several nodes can share one
 * database), optionally the HTTP API, and in-process workers. The server ({@link Main}) is built through the same
 * builder.
 *
 * <pre>{@code
 * try (Phaseline phaseline = Phaseline.builder()
 *         .jdbcUrl("jdbc:postgresql://127.0.0.1:5432/phaseline", "phaseline", password)
 *         .http(7070)                     // omit for no HTTP
 *         .jwtSecret(secret)              // at least 32 bytes; needed with HTTP
 *         .redisUrl("redis://127.0.0.1:6379") // omit for one node with the in-process cache and bus
 *         .build()) {
 *     SessionCommands commands = phaseline.core().commands();
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops everything in the order that loses nothing: HTTP (refuse new requests, end the open
 * streams, let requests in flight finish), the workers, the core, Redis, the connection pool, embedded PostgreSQL.
 */
public final class Phaseline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Phaseline.class);
    private static final Duration REDIS_CONNECT_PATIENCE = Duration.ofSeconds(15);

    /** The phases of the demo workflow, in order. */
    public static final PhaseOrder DEMO_PHASES = PhaseOrder.of(new Phase("decomposition"), new Phase("identify_gaps"),
            new Phase("persona_selection"), new Phase("deliberation"), new Phase("synthesis"));

    /** The workflow the demo worker runs. */
    public static final String DEMO_WORKFLOW = "demo";

    private final DataDirectoryLock lock;
    private final EmbeddedPostgresServer embedded;
    private final PostgresAdapter postgres;
    private final RedisAdapter redis;
    private final PhaselineCore core;
    private final PrometheusMeterRegistry registry;
    private final Map<String, AutoCloseable> workers;
    private final HttpServer http;
    private final TokenIssuer tokens;
    private final String database;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Phaseline(Parts parts) {
        this.lock = parts.lock;
        this.embedded = parts.embedded;
        this.postgres = parts.postgres;
        this.redis = parts.redis;
        this.core = parts.core;
        this.registry = parts.registry;
        this.workers = parts.workers;
        this.http = parts.http;
        this.tokens = parts.tokens;
        this.database = parts.database;
    }

    /** @return a builder; choose a database with {@code jdbcUrl}, {@code dataSource} or {@code embeddedPostgres} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the application: commands, queries and subscriptions */
    public PhaselineCore core() {
        return core;
    }

    /**
     * @return the port the HTTP API listens on
     * @throws IllegalStateException if this Phaseline runs without HTTP
     */
    public int httpPort() {
        if (http == null) {
            throw new IllegalStateException("this Phaseline runs without HTTP");
        }
        return http.port();
    }

    /** @return whether the HTTP API runs */
    public boolean hasHttp() {
        return http != null;
    }

    /**
     * @return mints tokens the HTTP API accepts
     * @throws IllegalStateException if this Phaseline runs without HTTP
     */
    public TokenIssuer tokenIssuer() {
        if (tokens == null) {
            throw new IllegalStateException("this Phaseline runs without HTTP");
        }
        return tokens;
    }

    /** @return the registry behind {@code /metrics}, for the embedder's own meters */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /**
     * @return whether PostgreSQL answers and every migration is applied, and Redis answers when it is configured;
     *         never throws
     */
    public boolean isReady() {
        return postgres.isReady() && (redis == null || redis.ping());
    }

    /** @return whether this Phaseline uses Redis as its cache and bus (rather than the in-process ones) */
    public boolean hasRedis() {
        return redis != null;
    }

    /** @return where the data lives, for people: the JDBC URL, or the embedded server's directory */
    public String databaseDescription() {
        return database;
    }

    /**
     * Stops everything, each step logged: HTTP (new requests refused, open streams ended, requests in flight
     * finished), the workers, the core, Redis, the connection pool, embedded PostgreSQL. Safe to call more than once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long begin = System.nanoTime();
        LOG.info("Shutting down");
        if (http != null) {
            step("HTTP stopped (new requests refused, open streams ended, requests in flight finished)",
                    () -> http.stop(Duration.ofSeconds(10)));
        }
        workers.forEach((name, worker) -> step("Worker " + name + " stopped", worker::close));
        step("Core closed", core::close);
        if (redis != null) {
            step("Redis connections closed", redis::close);
        }
        step("Connection pool closed", postgres::close);
        if (embedded != null) {
            step("Embedded PostgreSQL stopped", embedded::close);
        }
        if (lock != null) {
            lock.close();
        }
        LOG.info("Shutdown complete in {} ms", (System.nanoTime() - begin) / 1_000_000);
    }

    private static void step(String done, Step step) {
        try {
            step.run();
            LOG.info(done);
        } catch (Exception e) {
            LOG.warn("{}: failed ({}); continuing", done.split(" ")[0], e.toString());
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** What has been started so far; closed in reverse when a later step fails. */
    private static final class Parts {
        DataDirectoryLock lock;
        EmbeddedPostgresServer embedded;
        PostgresAdapter postgres;
        RedisAdapter redis;
        PhaselineCore core;
        PrometheusMeterRegistry registry;
        final Map<String, AutoCloseable> workers = new LinkedHashMap<>();
        HttpServer http;
        TokenIssuer tokens;
        String database;
        final Deque<AutoCloseable> undo = new ArrayDeque<>();

        void undoAll() {
            while (!undo.isEmpty()) {
                try {
                    undo.pop().close();
                } catch (Exception e) {
                    LOG.debug("while undoing a failed start", e);
                }
            }
        }
    }

    /** Builds and starts a {@link Phaseline}. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password;
        private DataSource dataSource;
        private boolean embeddedPostgres;
        private Path dataDirectory;
        private int poolSize = PostgresSettings.DEFAULT_POOL_SIZE;
        private RedisSettings redisSettings;
        private Duration cacheTtl;
        private Integer httpPort;
        private String httpHost = "0.0.0.0";
        private byte[] jwtSecret;
        private final Set<String> corsOrigins = new LinkedHashSet<>();
        private Duration sseHeartbeat = HttpSettings.DEFAULT_HEARTBEAT;
        private int sseBuffer = 1024;
        private Duration heartbeatTimeout = Duration.ofMinutes(5);
        private final Map<String, PhaseOrder> phaseOrders = new LinkedHashMap<>(Map.of(DEMO_WORKFLOW, DEMO_PHASES));
        private final Map<String, InProcessWorker> workers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Uses an external PostgreSQL through a pool Phaseline owns.
         *
         * @param url      a {@code jdbc:postgresql:} URL
         * @param user     the user, or {@code null}
         * @param password the password, or {@code null}
         * @return this builder
         */
        public Builder jdbcUrl(String url, String user, String password) {
            this.jdbcUrl = Objects.requireNonNull(url, "url");
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * Uses the embedder's data source, which the embedder keeps and closes.
         *
         * @param dataSource PostgreSQL connections in autocommit mode
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Runs PostgreSQL inside Phaseline, with its data in {@code <dataDirectory>/postgres}, kept across restarts
         * (Linux only).
         *
         * @return this builder
         */
        public Builder embeddedPostgres() {
            this.embeddedPostgres = true;
            return this;
        }

        /**
         * @param directory where embedded PostgreSQL and the generated JWT secret live; created if missing
         * @return this builder
         */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * @param size the most pooled connections; default 10. With {@link #dataSource} the pool is the embedder's,
         *             and this only sizes the HTTP server's request threads (twice this plus eight per core)
         * @return this builder
         */
        public Builder poolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("the pool size must be >= 1");
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Uses Redis as the live-state cache and the cross-node event bus instead of the in-process ones, so that
         * several Phaselines on one database serve the same sessions and streams. {@link #build()} stops with a
         * {@link StartupException} ({@link StartupException.Setting#REDIS}) when Redis cannot be reached then; later
         * outages only send reads to PostgreSQL.
         *
         * @param url a {@code redis://} or {@code rediss://} URL, e.g. {@code redis://127.0.0.1:6379}
         * @return this builder
         * @throws IllegalArgumentException if it is not such a URL
         */
        public Builder redisUrl(String url) {
            Objects.requireNonNull(url, "url");
            try {
                // The adapter's settings are the one place that knows what a usable Redis URL is.
                this.redisSettings = RedisSettings.of(new URI(url.trim()));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a redis:// URL", e);
            }
            return this;
        }

        /**
         * @param ttl how long Redis keeps a session's live state after its last change, at least 1 s; default 24
         *            hours. Only used with {@link #redisUrl}
         * @return this builder
         * @throws IllegalArgumentException if it is shorter than 1 s
         */
        public Builder cacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.compareTo(RedisSettings.MIN_CACHE_TTL) < 0) {
                throw new IllegalArgumentException("the cache TTL must be at least 1 s");
            }
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * Serves the HTTP API; without this call there is no HTTP.
         *
         * @param port the port, 0 for any free one
         * @return this builder
         */
        public Builder http(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("the port must be 0-65535");
            }
            this.httpPort = port;
            return this;
        }

        /**
         * @param host the interface HTTP binds to; default {@code 0.0.0.0}
         * @return this builder
         */
        public Builder httpHost(String host) {
            this.httpHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param secret the HS256 secret, at least 32 bytes; without it, HTTP uses the secret generated once in the
         *               data directory
         * @return this builder
         */
        public Builder jwtSecret(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < Config.MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("the JWT secret must be at least " + Config.MIN_SECRET_BYTES
                        + " bytes");
            }
            this.jwtSecret = secret.clone();
            return this;
        }

        /**
         * @param origins origins that get CORS headers, e.g. {@code https://app.example.com}
         * @return this builder
         */
        public Builder corsOrigins(Collection<String> origins) {
            corsOrigins.clear();
            corsOrigins.addAll(origins);
            return this;
        }

        /**
         * @param interval how often open streams get a heartbeat comment; default 15 s
         * @return this builder
         */
        public Builder sseHeartbeat(Duration interval) {
            this.sseHeartbeat = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * @param events events buffered per subscriber before its stream is ended; default 1024
         * @return this builder
         */
        public Builder sseBuffer(int events) {
            this.sseBuffer = events;
            return this;
        }

        /**
         * @param timeout how long a running session may go without a worker heartbeat; default 5 min
         * @return this builder
         */
        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Declares a workflow's phase order, in addition to the demo workflow's, which is always declared.
         *
         * @param workflow the workflow
         * @param order    its phases
         * @return this builder
         */
        public Builder phaseOrder(String workflow, PhaseOrder order) {
            phaseOrders.put(Objects.requireNonNull(workflow, "workflow"), Objects.requireNonNull(order, "order"));
            return this;
        }

        /**
         * @param name   names the worker in logs
         * @param worker started once the core runs, closed before it closes
         * @return this builder
         */
        public Builder worker(String name, InProcessWorker worker) {
            workers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(worker, "worker"));
            return this;
        }

        /**
         * Starts everything, or nothing: a failure undoes what was started.
         *
         * @return the running Phaseline
         * @throws StartupException      naming the setting at fault, e.g. an unreachable database
         * @throws IllegalStateException if the settings are incomplete or contradictory
         */
        public Phaseline build() {
            int databases = (jdbcUrl != null ? 1 : 0) + (dataSource != null ? 1 : 0) + (embeddedPostgres ? 1 : 0);
            if (databases != 1) {
                throw new IllegalStateException("choose exactly one database: jdbcUrl, dataSource or embeddedPostgres");
            }
            if (embeddedPostgres && dataDirectory == null) {
                throw new IllegalStateException("embedded PostgreSQL needs a data directory");
            }
            if (httpPort != null && jwtSecret == null && dataDirectory == null) {
                throw new IllegalStateException("HTTP needs a JWT secret or a data directory to keep a generated one");
            }
            Parts parts = new Parts();
            try {
                start(parts);
            } catch (RuntimeException | Error e) {
                parts.undoAll();
                throw e;
            }
            return new Phaseline(parts);
        }

        private void start(Parts parts) {
            long begin = System.nanoTime();
            // Redis first: it is quick to check, and a wrong URL should not wait for embedded PostgreSQL to start.
            if (redisSettings != null) {
                parts.redis = connectRedis();
                parts.undo.push(parts.redis);
            }
            if (embeddedPostgres) {
                parts.lock = DataDirectoryLock.acquire(dataDirectory);
                parts.undo.push(parts.lock);
                // Hibernate builds its model while PostgreSQL starts (see PostgresAdapter.start(Supplier)).
                parts.postgres = startPostgres(StartupException.Setting.DATA_DIRECTORY,
                        () -> PostgresAdapter.start(() -> {
                            parts.embedded = EmbeddedPostgresServer.start(dataDirectory);
                            parts.undo.push(parts.embedded);
                            parts.database = "embedded PostgreSQL in " + parts.embedded.pgData();
                            return PostgresSettings.of(parts.embedded.jdbcUrl(), null, null).withPoolSize(poolSize);
                        }));
            } else if (jdbcUrl != null) {
                parts.database = jdbcUrl;
                parts.postgres = startPostgres(StartupException.Setting.DATABASE,
                        () -> PostgresAdapter.start(PostgresSettings.of(jdbcUrl, user, password)
                                .withPoolSize(poolSize)));
            } else {
                parts.database = "the embedder's data source";
                parts.postgres = startPostgres(StartupException.Setting.DATABASE,
                        () -> PostgresAdapter.start(dataSource));
            }
            parts.undo.push(parts.postgres);
            PostgresAdapter postgres = parts.postgres;

            parts.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            PhaselineCore.Builder core = PhaselineCore.builder()
                    .store(postgres.sessionStore())
                    .eventLog(postgres.eventLog())
                    .metrics(new MicrometerApplicationMetrics(parts.registry))
                    .subscriberBuffer(sseBuffer)
                    .heartbeatTimeout(heartbeatTimeout);
            if (parts.redis != null) {
                core.cache(parts.redis.cache()).bus(parts.redis.bus());
            }
            phaseOrders.forEach(core::phaseOrder);
            parts.core = core.build();
            parts.undo.push(parts.core);

            for (Map.Entry<String, InProcessWorker> worker : workers.entrySet()) {
                AutoCloseable running;
                try {
                    running = worker.getValue().start(parts.core);
                } catch (Exception e) {
                    throw new IllegalStateException("worker " + worker.getKey() + " did not start: " + e, e);
                }
                parts.workers.put(worker.getKey(), running);
                parts.undo.push(running);
                LOG.info("Worker {} started", worker.getKey());
            }

            if (httpPort != null) {
                byte[] secret = jwtSecret != null ? jwtSecret : JwtSecrets.loadOrCreate(dataDirectory);
                Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
                readiness.put("postgres", postgres::isReady);
                if (parts.redis != null) {
                    readiness.put("redis", parts.redis::ping);
                }
                readiness.put("migrations", postgres::migrationsCurrent);
                HttpSettings settings = HttpSettings.of(secret)
                        .withCorsOrigins(corsOrigins)
                        .withSseHeartbeat(sseHeartbeat)
                        .withReadiness(readiness);
                HttpApi api = new HttpApi(parts.core, settings, parts.registry);
                parts.http = HttpServer.start(api, httpHost, httpPort, poolSize);
                HttpServer started = parts.http;
                parts.undo.push(() -> started.stop(Duration.ofSeconds(1)));
                parts.tokens = new TokenIssuer(secret);
            }
            LOG.info("Phaseline started in {} ms on {}, {}{}", (System.nanoTime() - begin) / 1_000_000,
                    parts.database,
                    parts.redis == null ? "in-process cache and bus" : "Redis at " + redisSettings.redactedUrl(),
                    parts.http == null ? " without HTTP" : ", HTTP on port " + parts.http.port());
        }

        private RedisAdapter connectRedis() {
            RedisSettings settings = cacheTtl == null ? redisSettings : redisSettings.withCacheTtl(cacheTtl);
            // A cold JVM on a busy machine can take longer than the short command timeout for its first handshake,
            // so a slow answer is tried again for a while; a refused or unknown address, or an error reply such as
            // a wrong password, fails at once.
            long deadline = 0;
            while (true) {
                try {
                    RedisAdapter redis = RedisAdapter.connect(settings);
                    LOG.info("Connected to Redis at {}", settings.redactedUrl());
                    return redis;
                } catch (RedisStartupException e) {
                    if (deadline == 0) {
                        // counted from the first failure: that attempt itself may have spent long loading classes
                        deadline = System.nanoTime() + REDIS_CONNECT_PATIENCE.toNanos();
                    }
                    if (!e.timedOut() || System.nanoTime() > deadline) {
                        // The adapter's message names the URL (without its password) and the reason.
                        String message = e.getMessage();
                        throw new StartupException(StartupException.Setting.REDIS,
                                message.lines().findFirst().orElse(message), e);
                    }
                    LOG.info("Redis at {} did not answer in time; trying again", settings.redactedUrl());
                }
            }
        }

        /** Runs a start of the PostgreSQL adapter, turning its failure into one naming the setting at fault. */
        private static PostgresAdapter startPostgres(StartupException.Setting setting,
                java.util.function.Supplier<PostgresAdapter> start) {
            try {
                return start.get();
            } catch (PostgresStartupException e) {
                throw new StartupException(setting, e.getMessage(), e);
            }
        }
    }
}
