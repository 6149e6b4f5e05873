package dev.phaseline.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One real PostgreSQL database for several server processes: a fresh database with a random name on an embedded
 * server this test JVM starts (zonky), or on the server named by {@code PHASELINE_TEST_DB_URL} (with
 * {@code PHASELINE_TEST_DB_USER} and {@code PHASELINE_TEST_DB_PASSWORD}).
 *
 * @param jdbcUrl  the new database's URL
 * @param user     its user
 * @param password its password, or null
 */
record TestDatabase(String jdbcUrl, String user, String password) {

    private static final String EXTERNAL_URL = System.getenv("PHASELINE_TEST_DB_URL");
    private static EmbeddedPostgres embedded;

    /** @return a new, empty database */
    static TestDatabase create() {
        boolean external = EXTERNAL_URL != null && !EXTERNAL_URL.isBlank();
        String admin = external ? EXTERNAL_URL : embeddedUrl();
        String user = external ? System.getenv("PHASELINE_TEST_DB_USER") : "postgres";
        String password = external ? System.getenv("PHASELINE_TEST_DB_PASSWORD") : null;
        String name = "phaseline_nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(admin, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new TestDatabase(withDatabase(admin, name), user, password);
    }

    /** @return the variables that point a server at this database */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("PHASELINE_DB_URL", jdbcUrl);
        if (user != null) {
            env.put("PHASELINE_DB_USER", user);
        }
        if (password != null) {
            env.put("PHASELINE_DB_PASSWORD", password);
        }
        return env;
    }

    private static synchronized String embeddedUrl() {
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

    private static String withDatabase(String jdbcUrl, String database) {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("expected a jdbc:postgresql://host/db URL");
        }
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        int slash = base.indexOf('/', prefix.length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + params;
    }
}
