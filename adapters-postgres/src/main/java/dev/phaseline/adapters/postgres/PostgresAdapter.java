package dev.phaseline.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.SessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;

/**
 * The PostgreSQL adapter, started as one unit: it opens the HikariCP pool (or uses the embedder's
 * {@link DataSource}), migrates the schema with Flyway, starts Hibernate with schema validation, and then offers the
 * {@link #sessionStore()} and the {@link #eventLog()}. Hibernate builds its model on a thread of its own meanwhile
 * (it needs no database for that), and validates the schema once the migrations are done. A failure at any step stops
 * startup with a {@link PostgresStartupException}, after the other steps are finished and undone; a model/schema
 * drift names the table and the column.
 *
 * <pre>{@code
 * try (PostgresAdapter postgres = PostgresAdapter.start(PostgresSettings.of(url, user, password))) {
 *     PhaselineCore core = PhaselineCore.builder().store(postgres.sessionStore()).eventLog(postgres.eventLog()).build();
 * }
 * }</pre>
 */
public final class PostgresAdapter implements AutoCloseable {

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Flyway flyway;
    private final SessionFactory sessionFactory;
    private final PostgresSessionStore store;
    private final PostgresEventLog log;

    private PostgresAdapter(DataSource dataSource, HikariDataSource ownedPool, Flyway flyway,
            SessionFactory sessionFactory) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.flyway = flyway;
        this.sessionFactory = sessionFactory;
        store = new PostgresSessionStore(dataSource, sessionFactory);
        log = new PostgresEventLog(sessionFactory);
    }

    /**
     * Opens a pool with the settings, migrates, validates and starts.
     *
     * @param settings where PostgreSQL is and how big the pool is
     * @return the started adapter, which owns its pool
     * @throws PostgresStartupException if PostgreSQL cannot be reached, a migration fails or the schema drifted
     */
    public static PostgresAdapter start(PostgresSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return start(() -> settings);
    }

    /**
     * Like {@link #start(PostgresSettings)}, for a database that may still be starting: Hibernate's model is built
     * in the background while {@code database} runs on the calling thread (e.g. starts an embedded server) and the
     * pool opens and the migrations run; the schema is validated once they are done. If any step fails, the others
     * are finished and undone before the failure is thrown: nothing is left running.
     *
     * @param database gives the settings once the database is up; what it throws is rethrown unchanged
     * @return the started adapter, which owns its pool
     * @throws PostgresStartupException if PostgreSQL cannot be reached, a migration fails or the schema drifted
     */
    public static PostgresAdapter start(Supplier<PostgresSettings> database) {
        Objects.requireNonNull(database, "database");
        HibernateModel model = HibernateModel.build();
        HikariDataSource pool = null;
        try {
            pool = openPool(Objects.requireNonNull(database.get(), "settings"));
            return start(pool, pool, model);
        } catch (RuntimeException | Error e) {
            model.discard();
            if (pool != null) {
                pool.close();
            }
            throw e;
        }
    }

    /**
     * Uses the embedder's data source, which the embedder keeps and closes; migrates, validates and starts.
     *
     * @param dataSource a data source of PostgreSQL connections in autocommit mode
     * @return the started adapter
     * @throws PostgresStartupException if PostgreSQL cannot be reached, a migration fails or the schema drifted
     */
    public static PostgresAdapter start(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        HibernateModel model = HibernateModel.build();
        try {
            return start(dataSource, null, model);
        } catch (RuntimeException | Error e) {
            model.discard();
            throw e;
        }
    }

    private static PostgresAdapter start(DataSource dataSource, HikariDataSource ownedPool, HibernateModel model) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        migrate(flyway);
        SessionFactory sessionFactory = model.connect(dataSource);
        return new PostgresAdapter(dataSource, ownedPool, flyway, sessionFactory);
    }

    private static HikariDataSource openPool(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("phaseline-postgres");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(1000, settings.connectionTimeout().toMillis()));
        config.setAutoCommit(true);
        // Without this the driver waits indefinitely for an unreachable host; keep it in line with the pool's wait.
        config.addDataSourceProperty("connectTimeout",
                String.valueOf(Math.max(1, settings.connectionTimeout().toSeconds())));
        config.addDataSourceProperty("ApplicationName", "phaseline");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new PostgresStartupException("cannot connect to PostgreSQL at " + settings.jdbcUrl() + ": "
                    + rootMessage(e), e);
        }
    }

    /** @return the session store; it appends to {@link #eventLog()} */
    public SessionStore sessionStore() {
        return store;
    }

    /** @return the event log */
    public EventLog eventLog() {
        return log;
    }

    /**
     * The readiness check: a connection can be had and answers, and no migration is pending.
     *
     * @return whether the adapter can serve now; never throws
     */
    public boolean isReady() {
        // The connection goes back to the pool before Flyway asks: Flyway takes connections of its own, and a small
        // pool would otherwise wait for itself until the connection timeout.
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(2)) {
                return false;
            }
        } catch (SQLException | RuntimeException e) {
            return false;
        }
        try {
            return migrationsCurrent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * @return whether every migration this build carries is applied
     * @throws dev.phaseline.application.port.StoreUnavailableException if PostgreSQL cannot be asked
     */
    public boolean migrationsCurrent() {
        return PostgresErrors.unavailableOnFailure("read the migration history",
                () -> flyway.info().pending().length == 0);
    }

    /** Closes Hibernate and, unless the embedder gave the data source, the pool. */
    @Override
    public void close() {
        try {
            sessionFactory.close();
        } finally {
            if (ownedPool != null) {
                ownedPool.close();
            }
        }
    }

    private static void migrate(Flyway flyway) {
        try {
            flyway.migrate();
        } catch (RuntimeException e) {
            throw new PostgresStartupException("PostgreSQL migration failed: " + rootMessage(e), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
