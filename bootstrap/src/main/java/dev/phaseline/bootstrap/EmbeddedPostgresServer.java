package dev.phaseline.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a PostgreSQL server (zonky's binaries) with its data in {@code <dataDir>/postgres}, kept
 * across restarts.
 *
 * <p>It listens on loopback only (PostgreSQL's default {@code listen_addresses}), on a free port chosen at every start: nothing but this process connects to it,
 * so a stable port would buy nothing and could be taken by another program between runs. Commits are synchronous
 * (zonky's test default turns that off), so an acknowledged command survives even a killed PostgreSQL. Before it
 * starts, a server left running by a killed predecessor is stopped ({@link OrphanedPostmaster}). It registers no
 * shutdown hook of its own: Phaseline stops it last, after the pool is closed.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** The PostgreSQL data directory inside Phaseline's data directory. */
    static final String DIRECTORY = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path pgData;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path pgData) {
        this.postgres = postgres;
        this.pgData = pgData;
    }

    /**
     * Starts the server. The caller holds the {@link DataDirectoryLock}.
     *
     * @param dataDir Phaseline's data directory
     * @return the running server
     * @throws StartupException ({@link StartupException.Setting#DATA_DIRECTORY}) if it cannot start
     */
    static EmbeddedPostgresServer start(Path dataDir) {
        Path pgData = dataDir.toAbsolutePath().normalize().resolve(DIRECTORY);
        long begin = System.nanoTime();
        OrphanedPostmaster.clear(pgData, Duration.ofSeconds(10));
        boolean fresh = !Files.exists(pgData.resolve("PG_VERSION"));
        Path log = dataDir.toAbsolutePath().normalize().resolve("postgres.log");
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("synchronous_commit", "on")
                    .setConnectConfig("ApplicationName", "phaseline")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // The server outlives a killed JVM: its output goes to a file, never to a pipe nobody reads.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            LOG.info("Embedded PostgreSQL {} on localhost:{} in {} ms ({})", fresh ? "created and started"
                    : "started", postgres.getPort(), (System.nanoTime() - begin) / 1_000_000, pgData);
            return new EmbeddedPostgresServer(postgres, pgData);
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            throw new StartupException(StartupException.Setting.DATA_DIRECTORY,
                    "cannot start embedded PostgreSQL in " + pgData + " (see " + log + "): " + rootMessage(e)
                            + hint(), e);
        }
    }

    /** @return the JDBC URL of the {@code postgres} database as the {@code postgres} superuser */
    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** @return the PostgreSQL data directory */
    Path pgData() {
        return pgData;
    }

    /** Stops the server (fast shutdown: open sessions are rolled back) and waits for it. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Could not stop embedded PostgreSQL in {}: {}", pgData, e.toString());
        }
    }

    private static String hint() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return os.contains("linux") ? "" : "; this build carries PostgreSQL for Linux only: set PHASELINE_DB_URL";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
