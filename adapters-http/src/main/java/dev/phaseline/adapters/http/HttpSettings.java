package dev.phaseline.adapters.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * How the HTTP adapter behaves.
 *
 * @param jwtSecret       the HS256 secret, at least 32 bytes; copied
 * @param corsOrigins     origins that get CORS headers (exact match, e.g. {@code https://app.example.com}); may be
 *                        empty
 * @param sseHeartbeat    how often an open stream gets a {@code : ping} comment; positive
 * @param sseWriteTimeout how long a write to a stream may stay pending, with the client taking nothing, before the
 *                        stream is cut off (a client that stopped reading while no further events come to overflow
 *                        its buffer); positive. Writes never block a thread: this only bounds how long a stuck
 *                        connection is kept
 * @param readiness       readiness checks by name, reported by {@code /ready}; the contract names {@code postgres},
 *                        {@code redis} and {@code migrations}. A check that is not supplied is reported as
 *                        {@code not_configured} and does not make the server unready
 * @param sseStreamBuffer how many bytes of encoded frames one stream may hold waiting for its client; when a new frame
 *                        would exceed it (the client stopped reading or reads too slowly) the stream is ended and the
 *                        client resumes with {@code Last-Event-ID}. A single frame larger than this is still sent when
 *                        nothing else is waiting; positive
 */
public record HttpSettings(byte[] jwtSecret, Set<String> corsOrigins, Duration sseHeartbeat, Duration sseWriteTimeout,
        Map<String, BooleanSupplier> readiness, int sseStreamBuffer) {

    /** Smallest accepted JWT secret, in bytes. */
    public static final int MIN_SECRET_BYTES = 32;
    /** Default heartbeat interval ({@code PHASELINE_SSE_HEARTBEAT}). */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    /** Default write timeout of a stream. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** Default bytes of frames a stream may hold waiting for its client. */
    public static final int DEFAULT_STREAM_BUFFER = 1024 * 1024;

    /** Checks and copies everything. */
    public HttpSettings {
        Objects.requireNonNull(jwtSecret, "jwtSecret");
        if (jwtSecret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        jwtSecret = jwtSecret.clone();
        corsOrigins = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(corsOrigins, "corsOrigins")));
        requirePositive(sseHeartbeat, "sseHeartbeat");
        requirePositive(sseWriteTimeout, "sseWriteTimeout");
        readiness = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(readiness, "readiness")));
        if (sseStreamBuffer < 1) {
            throw new IllegalArgumentException("sseStreamBuffer must be positive");
        }
    }

    /**
     * Settings with the default stream buffer ({@link #DEFAULT_STREAM_BUFFER}).
     *
     * @param jwtSecret       the HS256 secret, at least 32 bytes
     * @param corsOrigins     the allowed CORS origins
     * @param sseHeartbeat    the heartbeat interval
     * @param sseWriteTimeout how long a write may stay pending before the stream is cut off
     * @param readiness       readiness checks by name
     */
    public HttpSettings(byte[] jwtSecret, Set<String> corsOrigins, Duration sseHeartbeat, Duration sseWriteTimeout,
            Map<String, BooleanSupplier> readiness) {
        this(jwtSecret, corsOrigins, sseHeartbeat, sseWriteTimeout, readiness, DEFAULT_STREAM_BUFFER);
    }

    /**
     * @param jwtSecret the HS256 secret, at least 32 bytes
     * @return settings with no CORS origin, the default heartbeat, write timeout and stream buffer, and no readiness
     *         checks
     */
    public static HttpSettings of(byte[] jwtSecret) {
        return new HttpSettings(jwtSecret, Set.of(), DEFAULT_HEARTBEAT, DEFAULT_WRITE_TIMEOUT, Map.of(),
                DEFAULT_STREAM_BUFFER);
    }

    /**
     * @param origins the allowed CORS origins
     * @return a copy with these origins
     */
    public HttpSettings withCorsOrigins(Set<String> origins) {
        return new HttpSettings(jwtSecret, origins, sseHeartbeat, sseWriteTimeout, readiness, sseStreamBuffer);
    }

    /**
     * @param heartbeat the heartbeat interval
     * @return a copy with this interval
     */
    public HttpSettings withSseHeartbeat(Duration heartbeat) {
        return new HttpSettings(jwtSecret, corsOrigins, heartbeat, sseWriteTimeout, readiness, sseStreamBuffer);
    }

    /**
     * @param timeout how long a write to a stream may stay pending
     * @return a copy with this timeout
     */
    public HttpSettings withSseWriteTimeout(Duration timeout) {
        return new HttpSettings(jwtSecret, corsOrigins, sseHeartbeat, timeout, readiness, sseStreamBuffer);
    }

    /**
     * @param bytes how many bytes of frames one stream may hold waiting for its client
     * @return a copy with this bound
     */
    public HttpSettings withSseStreamBuffer(int bytes) {
        return new HttpSettings(jwtSecret, corsOrigins, sseHeartbeat, sseWriteTimeout, readiness, bytes);
    }

    /**
     * @param checks readiness checks by name ({@code postgres}, {@code redis}, {@code migrations})
     * @return a copy with these checks
     */
    public HttpSettings withReadiness(Map<String, BooleanSupplier> checks) {
        return new HttpSettings(jwtSecret, corsOrigins, sseHeartbeat, sseWriteTimeout, checks, sseStreamBuffer);
    }

    /** @return a copy of the secret */
    @Override
    public byte[] jwtSecret() {
        return jwtSecret.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpSettings that && Arrays.equals(jwtSecret, that.jwtSecret)
                && corsOrigins.equals(that.corsOrigins) && sseHeartbeat.equals(that.sseHeartbeat)
                && sseWriteTimeout.equals(that.sseWriteTimeout) && readiness.equals(that.readiness)
                && sseStreamBuffer == that.sseStreamBuffer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(jwtSecret), corsOrigins, sseHeartbeat, sseWriteTimeout, readiness,
                sseStreamBuffer);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "HttpSettings[corsOrigins=" + corsOrigins + ", sseHeartbeat=" + sseHeartbeat + ", sseWriteTimeout="
                + sseWriteTimeout + ", sseStreamBuffer=" + sseStreamBuffer + ", readiness=" + readiness.keySet() + "]";
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
