package dev.phaseline.adapters.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach PostgreSQL.
 *
 * @param jdbcUrl           the JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/phaseline}; never {@code null}
 * @param user              the user, or {@code null} when the URL or the server needs none
 * @param password          the password, or {@code null}
 * @param poolSize          the most pooled connections, {@code >= 1}
 * @param connectionTimeout how long a caller waits for a connection before the store reports itself unavailable;
 *                          at least 250 ms
 */
public record PostgresSettings(String jdbcUrl, String user, String password, int poolSize,
        Duration connectionTimeout) {

    /** The default pool size. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /** The default wait for a connection: short, so that an outage fails commands fast. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    /** Checks presence and ranges. */
    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the JDBC URL must start with jdbc:postgresql:");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("the pool size must be >= 1");
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("the connection timeout must be at least 250 ms");
        }
    }

    /**
     * @param jdbcUrl  the JDBC URL
     * @param user     the user, or {@code null}
     * @param password the password, or {@code null}
     * @return settings with the default pool size and connection timeout
     */
    public static PostgresSettings of(String jdbcUrl, String user, String password) {
        return new PostgresSettings(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT);
    }

    /**
     * @param size the most pooled connections
     * @return these settings with another pool size
     */
    public PostgresSettings withPoolSize(int size) {
        return new PostgresSettings(jdbcUrl, user, password, size, connectionTimeout);
    }

    /**
     * @param timeout how long to wait for a connection
     * @return these settings with another connection timeout
     */
    public PostgresSettings withConnectionTimeout(Duration timeout) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, timeout);
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", poolSize=" + poolSize
                + ", connectionTimeout=" + connectionTimeout + "]";
    }
}
