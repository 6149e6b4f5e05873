package dev.phaseline.adapters.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Real PostgreSQL for tests. One embedded server per test JVM (zonky, binaries from the BOM), or the external server
 * named by {@code PHASELINE_TEST_DB_URL} (with {@code PHASELINE_TEST_DB_USER}, {@code PHASELINE_TEST_DB_PASSWORD}).
 * Every caller gets a fresh database with a random name, so runs never see each other's leftovers.
 */
final class TestDatabases {

    private static final String EXTERNAL_URL = System.getenv("PHASELINE_TEST_DB_URL");
    private static EmbeddedPostgres embedded;

    private TestDatabases() {
    }

    /** A database of its own: its JDBC URL and credentials. */
    record TestDatabase(String name, String jdbcUrl, String user, String password) {

        PostgresSettings settings() {
            return PostgresSettings.of(jdbcUrl, user, password);
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }

        void execute(String... sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                for (String each : sql) {
                    statement.execute(each);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** @return a new, empty database */
    static TestDatabase create() {
        String name = "phaseline_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        String adminUrl = adminUrl();
        String user = user();
        String password = password();
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " at " + adminUrl, e);
        }
        return new TestDatabase(name, withDatabase(adminUrl, name), user, password);
    }

    private static synchronized String adminUrl() {
        if (EXTERNAL_URL != null && !EXTERNAL_URL.isBlank()) {
            return EXTERNAL_URL;
        }
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = embedded;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is ending anyway
                }
            }));
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }

    private static String user() {
        return EXTERNAL_URL != null && !EXTERNAL_URL.isBlank() ? System.getenv("PHASELINE_TEST_DB_USER") : "postgres";
    }

    private static String password() {
        return EXTERNAL_URL != null && !EXTERNAL_URL.isBlank() ? System.getenv("PHASELINE_TEST_DB_PASSWORD") : null;
    }

    /** Replaces the database of a JDBC URL such as {@code jdbc:postgresql://host:5432/db?x=y}. */
    static String withDatabase(String jdbcUrl, String database) {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("expected a jdbc:postgresql://host/db URL, got " + jdbcUrl);
        }
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        int slash = base.indexOf('/', prefix.length());
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        return hostPart + "/" + database + params;
    }
}
