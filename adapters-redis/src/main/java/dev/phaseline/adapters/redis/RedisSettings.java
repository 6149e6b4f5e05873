package dev.phaseline.adapters.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Redis and how to use it.
 *
 * @param url            the server, e.g. {@code redis://127.0.0.1:6379} or {@code rediss://:secret@host:6380/0};
 *                       never {@code null}
 * @param cacheTtl       how long a cached session lives after its latest write; at least one second
 * @param keyPrefix      the prefix of every key and channel, e.g. {@code phaseline:}; never {@code null}, may be
 *                       empty
 * @param commandTimeout how long a command may take before it fails; short, so that a hung or unreachable Redis
 *                       never holds a caller up; at least 50 ms
 */
public record RedisSettings(URI url, Duration cacheTtl, String keyPrefix, Duration commandTimeout) {

    /** The default lifetime of a cache entry after its latest write. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofHours(24);

    /** The shortest cache TTL accepted. */
    public static final Duration MIN_CACHE_TTL = Duration.ofSeconds(1);

    /** The default prefix of keys and channels. */
    public static final String DEFAULT_KEY_PREFIX = "phaseline:";

    /** The default command timeout. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);

    /** Checks presence and ranges. */
    public RedisSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        String scheme = url.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("the Redis URL must start with redis:// or rediss://");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("the Redis URL must name a host");
        }
        if (cacheTtl.compareTo(MIN_CACHE_TTL) < 0) {
            throw new IllegalArgumentException("the cache TTL must be at least 1 s");
        }
        if (commandTimeout.toMillis() < 50) {
            throw new IllegalArgumentException("the command timeout must be at least 50 ms");
        }
    }

    /**
     * @param url the server
     * @return settings with the default cache TTL, key prefix and command timeout
     */
    public static RedisSettings of(URI url) {
        return new RedisSettings(url, DEFAULT_CACHE_TTL, DEFAULT_KEY_PREFIX, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * @param ttl how long a cache entry lives after its latest write
     * @return these settings with another cache TTL
     */
    public RedisSettings withCacheTtl(Duration ttl) {
        return new RedisSettings(url, ttl, keyPrefix, commandTimeout);
    }

    /**
     * @param prefix the prefix of keys and channels
     * @return these settings with another key prefix
     */
    public RedisSettings withKeyPrefix(String prefix) {
        return new RedisSettings(url, cacheTtl, prefix, commandTimeout);
    }

    /**
     * @param timeout how long a command may take
     * @return these settings with another command timeout
     */
    public RedisSettings withCommandTimeout(Duration timeout) {
        return new RedisSettings(url, cacheTtl, keyPrefix, timeout);
    }

    /** @return the URL without any password, fit for logs and error messages */
    public String redactedUrl() {
        return redact(url);
    }

    /**
     * @param url any URL, also one these settings would refuse
     * @return the URL without any password, fit for logs and error messages
     */
    public static String redact(URI url) {
        if (url.getRawUserInfo() == null) {
            return url.toString();
        }
        String user = url.getRawUserInfo();
        int colon = user.indexOf(':');
        String shown = colon < 0 ? user : user.substring(0, colon) + ":***";
        return url.toString().replace(user + "@", shown + "@");
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "RedisSettings[url=" + redactedUrl() + ", cacheTtl=" + cacheTtl + ", keyPrefix=" + keyPrefix
                + ", commandTimeout=" + commandTimeout + "]";
    }
}
