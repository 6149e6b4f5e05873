package dev.phaseline.adapters.postgres;

import jakarta.persistence.PersistenceUnitTransactionType;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.spi.SchemaManagementException;

/**
 * Hibernate's model (mappings, metamodel, the {@link SessionFactory}), built on a thread of its own from the moment
 * the adapter starts, without a database: that is most of Hibernate's start-up cost, and it runs while the database
 * starts, the pool opens and Flyway migrates. The schema is validated against the database afterwards, in
 * {@link #connect}, so a drift still stops startup naming table and column.
 *
 * <p>Hibernate does not read JDBC metadata while it builds ({@code hibernate.boot.allow_jdbc_metadata_access} off,
 * the database named as PostgreSQL), so it needs no connection until {@link #connect}; until then its data source
 * refuses connections.
 */
final class HibernateModel {

    private final DeferredDataSource dataSource = new DeferredDataSource();
    private final FutureTask<SessionFactory> build = new FutureTask<>(this::buildSessionFactory);
    private final Thread thread = new Thread(build, "phaseline-hibernate-model");
    private boolean closed;

    private HibernateModel() {
    }

    /** @return a model whose build has begun in the background */
    static HibernateModel build() {
        HibernateModel model = new HibernateModel();
        model.thread.setDaemon(true);
        model.thread.start();
        return model;
    }

    /**
     * Waits for the model, gives it the database and validates the schema against the model.
     *
     * @param target the migrated database
     * @return the session factory, which the caller then owns
     * @throws PostgresStartupException if Hibernate could not start or the schema does not match the model
     */
    SessionFactory connect(DataSource target) {
        dataSource.bind(target);
        SessionFactory sessionFactory = await();
        try {
            sessionFactory.getSchemaManager().validateMappedObjects();
            return sessionFactory;
        } catch (RuntimeException e) {
            closed = true;
            sessionFactory.close();
            throw failure(e);
        }
    }

    /**
     * Waits for the build to end and its thread to exit, and closes what it built, after a failure elsewhere; never
     * throws.
     */
    void discard() {
        try {
            SessionFactory sessionFactory = await();
            if (!closed) {
                closed = true;
                sessionFactory.close();
            }
        } catch (RuntimeException e) {
            // the build failed: nothing to close
        }
    }

    /** Waits for the build and for its thread to exit; the build cannot be abandoned half-way. */
    private SessionFactory await() {
        boolean interrupted = false;
        try {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            try {
                return build.get();
            } catch (InterruptedException e) {
                throw new IllegalStateException("unreachable: the build has ended", e);
            } catch (ExecutionException e) {
                throw failure(e.getCause());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private SessionFactory buildSessionFactory() {
        return new HibernatePersistenceConfiguration("phaseline")
                .managedClasses(List.of(SessionJpaEntity.class, SessionEventJpaEntity.class))
                .transactionType(PersistenceUnitTransactionType.RESOURCE_LOCAL)
                .property(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                .property(AvailableSettings.ALLOW_METADATA_ON_BOOT, false)
                .property(AvailableSettings.JAKARTA_HBM2DDL_DB_NAME, "PostgreSQL")
                // The oldest version Hibernate 7 supports, so the SQL it writes runs on any server it accepts.
                .property(AvailableSettings.JAKARTA_HBM2DDL_DB_MAJOR_VERSION, "14")
                .property(AvailableSettings.JAKARTA_HBM2DDL_DB_MINOR_VERSION, "0")
                // Nothing to look for: no XML mappings, no Bean Validation, no JTA.
                .property(AvailableSettings.XML_MAPPING_ENABLED, false)
                .property(AvailableSettings.JAKARTA_VALIDATION_MODE, "none")
                .property(AvailableSettings.JTA_PLATFORM,
                        "org.hibernate.engine.transaction.jta.platform.internal.NoJtaPlatform")
                .createEntityManagerFactory();
    }

    private static PostgresStartupException failure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaManagementException drift) {
                return new PostgresStartupException("PostgreSQL schema does not match the model: "
                        + drift.getMessage(), e);
            }
        }
        return new PostgresStartupException("cannot start Hibernate on PostgreSQL: "
                + PostgresAdapter.rootMessage(e), e);
    }

    /** Refuses connections until the database is bound, then hands out the database's. */
    private static final class DeferredDataSource implements DataSource {

        private volatile DataSource target;

        void bind(DataSource database) {
            target = database;
        }

        private DataSource target() throws SQLException {
            DataSource bound = target;
            if (bound == null) {
                throw new SQLException("the database is not ready yet");
            }
            return bound;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return target().getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return target().getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target().getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target().setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target().setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target().getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            return target().unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(this) || target().isWrapperFor(type);
        }
    }
}
