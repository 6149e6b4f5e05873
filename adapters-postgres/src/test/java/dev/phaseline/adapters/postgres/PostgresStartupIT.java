package dev.phaseline.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Startup: migrations run (F5), a schema drift stops startup naming table and column (F4), no half start. */
class PostgresStartupIT {

    @Test
    void an_empty_database_is_migrated_to_current_at_startup() {
        TestDatabases.TestDatabase database = TestDatabases.create();
        try (PostgresAdapter adapter = PostgresAdapter.start(database.settings())) {
            assertThat(adapter.migrationsCurrent()).isTrue();
            assertThat(adapter.isReady()).isTrue();
        }
        assertThat(appliedVersions(database)).isEqualTo("1,2");
    }

    @Test
    void a_database_one_migration_behind_is_migrated_to_current_at_startup() {
        TestDatabases.TestDatabase database = TestDatabases.create();
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                .target("1").load().migrate();
        assertThat(appliedVersions(database)).isEqualTo("1");

        try (PostgresAdapter adapter = PostgresAdapter.start(database.settings())) {
            assertThat(adapter.migrationsCurrent()).isTrue();
        }
        assertThat(appliedVersions(database)).isEqualTo("1,2");
    }

    @Test
    void a_column_the_model_expects_but_the_database_lacks_stops_startup_naming_table_and_column() {
        TestDatabases.TestDatabase database = TestDatabases.create();
        PostgresAdapter.start(database.settings()).close();
        database.execute("ALTER TABLE sessions DROP COLUMN failure_message");

        assertThatThrownBy(() -> PostgresAdapter.start(database.settings()))
                .isInstanceOf(PostgresStartupException.class)
                .hasMessageContaining("schema does not match the model")
                .hasMessageContaining("missing column [failure_message] in table [sessions]");
    }

    @Test
    void a_column_of_the_wrong_type_stops_startup_naming_table_and_column() {
        TestDatabases.TestDatabase database = TestDatabases.create();
        PostgresAdapter.start(database.settings()).close();
        database.execute("ALTER TABLE session_events ALTER COLUMN data TYPE text");

        assertThatThrownBy(() -> PostgresAdapter.start(database.settings()))
                .isInstanceOf(PostgresStartupException.class)
                .hasMessageContaining("column [data] in table [session_events]");
    }

    @Test
    void an_unreachable_database_stops_startup_fast_with_one_clear_message() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        PostgresSettings settings = PostgresSettings.of("jdbc:postgresql://127.0.0.1:" + port + "/none", "x", "y")
                .withConnectionTimeout(Duration.ofSeconds(1));
        long started = System.nanoTime();

        assertThatThrownBy(() -> PostgresAdapter.start(settings))
                .isInstanceOf(PostgresStartupException.class)
                .hasMessageContaining("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:" + port);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void a_database_that_fails_to_start_stops_startup_with_its_own_failure_and_leaves_nothing_running() {
        IllegalStateException failure = new IllegalStateException("the database did not come up");

        assertThatThrownBy(() -> PostgresAdapter.start(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(hibernateModelThreads()).isZero();
    }

    @Test
    void a_schema_drift_found_after_the_concurrent_start_closes_the_pool_and_leaves_nothing_running() {
        TestDatabases.TestDatabase database = TestDatabases.create();
        PostgresAdapter.start(database.settings()).close();
        database.execute("ALTER TABLE sessions DROP COLUMN phase");

        assertThatThrownBy(() -> PostgresAdapter.start(database.settings()))
                .isInstanceOf(PostgresStartupException.class)
                .hasMessageContaining("missing column [phase] in table [sessions]");
        assertThat(hibernateModelThreads()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> connectionsOf(database) == 0); // backends end asynchronously
    }

    @Test
    void a_failed_migration_stops_startup_after_the_concurrent_model_build_is_undone() {
        TestDatabases.TestDatabase database = TestDatabases.create();
        database.execute("CREATE TABLE sessions (id int)");

        assertThatThrownBy(() -> PostgresAdapter.start(database.settings()))
                .isInstanceOf(PostgresStartupException.class)
                .hasMessageContaining("PostgreSQL migration failed");
        assertThat(hibernateModelThreads()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> connectionsOf(database) == 0); // backends end asynchronously
    }

    private static long hibernateModelThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("phaseline-hibernate-model"))
                .count();
    }

    private static int connectionsOf(TestDatabases.TestDatabase database) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String appliedVersions(TestDatabases.TestDatabase database) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT string_agg(version, ',' ORDER BY installed_rank)"
                        + " FROM flyway_schema_history WHERE success")) {
            rows.next();
            return rows.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
