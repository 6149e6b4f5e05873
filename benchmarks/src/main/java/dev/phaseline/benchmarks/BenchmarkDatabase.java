package dev.phaseline.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one PostgreSQL both sides of the benchmark use: an embedded server (zonky, the binaries the parent pom
 * manages) with a database {@code phaseline_bench}, or the server named by {@code PHASELINE_BENCH_DB_URL}.
 */
final class BenchmarkDatabase implements AutoCloseable {

    private static final String DATABASE = "phaseline_bench";

    private final EmbeddedPostgres embedded;
    private final String jdbcUrl;
    private final String user;
    private final String password;

    private BenchmarkDatabase(EmbeddedPostgres embedded, String jdbcUrl, String user, String password) {
        this.embedded = embedded;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    static BenchmarkDatabase open() {
        String url = System.getenv("PHASELINE_BENCH_DB_URL");
        if (url != null && !url.isBlank()) {
            return new BenchmarkDatabase(null, url, System.getenv("PHASELINE_BENCH_DB_USER"),
                    System.getenv("PHASELINE_BENCH_DB_PASSWORD"));
        }
        EmbeddedPostgres server;
        try {
            server = EmbeddedPostgres.builder()
                    // Per-statement server times for the breakdown; the same for both sides.
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track_planning", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
        try (Connection connection = DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            try {
                server.close();
            } catch (IOException ignored) {
                // reporting the first failure
            }
            throw new IllegalStateException("cannot create the benchmark database", e);
        }
        BenchmarkDatabase database = new BenchmarkDatabase(server, server.getJdbcUrl("postgres", DATABASE),
                "postgres", null);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        } catch (SQLException e) {
            database.close();
            throw new IllegalStateException("cannot enable pg_stat_statements", e);
        }
        return database;
    }

    /** @return the data directory when the server runs on this machine (embedded), else {@code null} */
    String localDataDirectory() {
        if (embedded == null) {
            return null;
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW data_directory")) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            return null;
        }
    }

    /** Forgets the statement statistics (embedded only). */
    void resetStatements() {
        if (embedded == null) {
            return;
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_statements_reset()");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param minCalls leave out statements called fewer times
     * @return per statement since the last reset: calls, mean execution µs, plans and their mean µs, the start of the text
     */
    List<String> statements(long minCalls) {
        List<String> lines = new ArrayList<>();
        if (embedded == null) {
            return lines;
        }
        String sql = "SELECT calls, plans, mean_plan_time * 1000, mean_exec_time * 1000,"
                + " left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements"
                + " WHERE calls >= " + minCalls + " AND query NOT LIKE '%pg_stat_statements%'"
                + " ORDER BY total_exec_time DESC LIMIT 8";
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                lines.add(String.format(Locale.ROOT, "%,9d calls, exec %5.0f µs, %,d plans of %5.0f µs: %s",
                        rows.getLong(1), rows.getDouble(4), rows.getLong(2), rows.getDouble(3), rows.getString(5)));
            }
        } catch (SQLException e) {
            lines.add("pg_stat_statements unavailable: " + e.getMessage());
        }
        return lines;
    }

    boolean embedded() {
        return embedded != null;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** @return the server version and the settings that matter for write throughput */
    Map<String, String> describe() {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SHOW server_version")) {
                rows.next();
                settings.put("server_version", rows.getString(1));
            }
            for (String name : new String[] {"fsync", "synchronous_commit", "full_page_writes", "shared_buffers",
                    "max_connections", "wal_level", "autovacuum"}) {
                try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
                    rows.next();
                    settings.put(name, rows.getString(1));
                }
            }
        } catch (SQLException e) {
            settings.put("error", e.getMessage());
        }
        return settings;
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
