package dev.phaseline.bootstrap;

import dev.phaseline.adapters.redis.RedisSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's configuration, read once from {@code PHASELINE_*} environment variables. Every value is checked
 * here, so that a bad one stops startup with one line naming the variable instead of a half-working server.
 *
 * @param httpPort         {@code PHASELINE_HTTP_PORT}, 0–65535 (0: any free port), default 7070
 * @param dbUrl            {@code PHASELINE_DB_URL}, a {@code jdbc:postgresql:} URL, or empty for embedded PostgreSQL
 * @param dbUser           {@code PHASELINE_DB_USER}, or empty
 * @param dbPassword       {@code PHASELINE_DB_PASSWORD}, or empty
 * @param dbPoolSize       {@code PHASELINE_DB_POOL_SIZE}, 1–1000, default 10
 * @param dataDir          {@code PHASELINE_DATA_DIR}, default {@code ./phaseline-data}
 * @param redisUrl         {@code PHASELINE_REDIS_URL}, a {@code redis://} or {@code rediss://} URI, or empty for
 *                         the in-process cache and bus
 * @param cacheTtl         {@code PHASELINE_CACHE_TTL}, at least 1 second, default 24 hours
 * @param jwtSecret        {@code PHASELINE_JWT_SECRET}, at least 32 bytes, or empty to generate one into the data
 *                         directory
 * @param corsOrigins      {@code PHASELINE_CORS_ORIGINS}, comma-separated origins such as
 *                         {@code https://app.example.com}
 * @param sseHeartbeat     {@code PHASELINE_SSE_HEARTBEAT}, positive, default 15 seconds
 * @param sseBuffer        {@code PHASELINE_SSE_BUFFER}, events per subscriber, 1–1,000,000, default 1024
 * @param heartbeatTimeout {@code PHASELINE_HEARTBEAT_TIMEOUT}, positive, default 5 minutes
 * @param demoWorker       {@code PHASELINE_DEMO_WORKER}, {@code true} or {@code false}, default true
 */
public record Config(
        int httpPort,
        Optional<String> dbUrl,
        Optional<String> dbUser,
        Optional<String> dbPassword,
        int dbPoolSize,
        Path dataDir,
        Optional<URI> redisUrl,
        Duration cacheTtl,
        Optional<byte[]> jwtSecret,
        List<String> corsOrigins,
        Duration sseHeartbeat,
        int sseBuffer,
        Duration heartbeatTimeout,
        boolean demoWorker) {

    /** Shortest accepted JWT secret, in bytes (HS256 needs 256 bits). */
    public static final int MIN_SECRET_BYTES = 32;

    /** Copies the lists. */
    public Config {
        corsOrigins = List.copyOf(corsOrigins);
    }

    /**
     * @param env the environment, e.g. {@link System#getenv()}
     * @return the checked configuration
     * @throws ConfigException naming the first variable whose value is bad
     */
    public static Config fromEnvironment(Map<String, String> env) {
        Reader reader = new Reader(env);
        return new Config(
                reader.integer("PHASELINE_HTTP_PORT", 7070, 0, 65_535),
                reader.jdbcUrl("PHASELINE_DB_URL"),
                reader.text("PHASELINE_DB_USER"),
                reader.text("PHASELINE_DB_PASSWORD"),
                reader.integer("PHASELINE_DB_POOL_SIZE", 10, 1, 1_000),
                reader.path("PHASELINE_DATA_DIR", "./phaseline-data"),
                reader.redisUrl("PHASELINE_REDIS_URL"),
                reader.duration("PHASELINE_CACHE_TTL", Duration.ofHours(24), Duration.ofSeconds(1)),
                reader.secret("PHASELINE_JWT_SECRET"),
                reader.origins("PHASELINE_CORS_ORIGINS"),
                reader.duration("PHASELINE_SSE_HEARTBEAT", Duration.ofSeconds(15)),
                reader.integer("PHASELINE_SSE_BUFFER", 1024, 1, 1_000_000),
                reader.duration("PHASELINE_HEARTBEAT_TIMEOUT", Duration.ofMinutes(5)),
                reader.bool("PHASELINE_DEMO_WORKER", true));
    }

    /** Reads and checks single variables. Blank values count as unset. */
    private static final class Reader {
        private final Map<String, String> env;

        Reader(Map<String, String> env) {
            this.env = Objects.requireNonNull(env, "env");
        }

        private Optional<String> raw(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        Optional<String> text(String name) {
            return raw(name);
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed < min || parsed > max) {
                    throw new ConfigException(name, "'" + value.get() + "' is out of range " + min + "–" + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "'" + value.get() + "' is not a whole number");
            }
        }

        Duration duration(String name, Duration fallback, Duration min) {
            Duration parsed = duration(name, fallback);
            if (parsed.compareTo(min) < 0) {
                throw new ConfigException(name, "'" + raw(name).orElse("") + "' is shorter than " + min);
            }
            return parsed;
        }

        Duration duration(String name, Duration fallback) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                Duration parsed = Duration.parse(value.get());
                if (parsed.isNegative() || parsed.isZero()) {
                    throw new ConfigException(name, "'" + value.get() + "' must be a positive duration");
                }
                return parsed;
            } catch (DateTimeParseException e) {
                throw new ConfigException(name, "'" + value.get() + "' is not an ISO-8601 duration such as "
                        + fallback);
            }
        }

        boolean bool(String name, boolean fallback) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return fallback;
            }
            return switch (value.get().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException(name, "'" + value.get() + "' is neither true nor false");
            };
        }

        Path path(String name, String fallback) {
            String value = raw(name).orElse(fallback);
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new ConfigException(name, "'" + value + "' is not a valid path");
            }
        }

        Optional<String> jdbcUrl(String name) {
            Optional<String> value = raw(name);
            if (value.isPresent() && !value.get().startsWith("jdbc:postgresql:")) {
                throw new ConfigException(name, "must be a PostgreSQL JDBC URL such as "
                        + "jdbc:postgresql://127.0.0.1:5432/phaseline");
            }
            return value;
        }

        Optional<URI> redisUrl(String name) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            URI uri;
            try {
                uri = new URI(value.get());
            } catch (URISyntaxException e) {
                // Not echoed: it may hold a password, and unparsed it cannot be told apart.
                throw new ConfigException(name, "not a URL (" + e.getReason() + "), such as redis://127.0.0.1:6379");
            }
            try {
                RedisSettings.of(uri); // the adapter's own checks, so that the two can never disagree
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, "'" + RedisSettings.redact(uri) + "': " + e.getMessage()
                        + ", such as redis://127.0.0.1:6379");
            }
            return Optional.of(uri);
        }

        Optional<byte[]> secret(String name) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes = value.get().getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new ConfigException(name, "must be at least " + MIN_SECRET_BYTES + " bytes for HS256, got "
                        + bytes.length);
            }
            return Optional.of(bytes);
        }

        List<String> origins(String name) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return List.of();
            }
            List<String> origins = new ArrayList<>();
            for (String part : value.get().split(",")) {
                String origin = part.trim();
                if (origin.isEmpty()) {
                    continue;
                }
                try {
                    URI uri = new URI(origin);
                    boolean bare = uri.getHost() != null && (uri.getPath() == null || uri.getPath().isEmpty())
                            && uri.getQuery() == null && uri.getFragment() == null && uri.getUserInfo() == null;
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || !bare) {
                        throw new ConfigException(name, "'" + origin + "' is not an origin such as "
                                + "https://app.example.com");
                    }
                } catch (URISyntaxException e) {
                    throw new ConfigException(name, "'" + origin + "' is not an origin such as https://app.example.com");
                }
                origins.add(origin);
            }
            return origins;
        }
    }
}
