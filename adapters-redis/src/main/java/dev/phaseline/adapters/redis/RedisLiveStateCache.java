package dev.phaseline.adapters.redis;

import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live-state cache on Redis: one hash per session, {@code <prefix>session:<id>}, with the fields {@code v} (the
 * version) and {@code s} (the whole session as JSON), and a TTL that every successful write renews.
 *
 * <p>A write runs as one Lua script that compares versions on the server, so an older or equal version never
 * replaces a newer one, however concurrent writers of several nodes interleave. The script is called by its SHA-1
 * ({@code EVALSHA}) and loaded again when the server answers {@code NOSCRIPT} (after a restart or
 * {@code SCRIPT FLUSH}).
 *
 * <p>An entry that cannot be decoded reads as a miss, is logged, and is dropped (unless it changed in between), so
 * the next write can replace it. Failures to reach Redis surface as {@link RedisUnavailableException}.
 */
final class RedisLiveStateCache implements LiveStateCache {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLiveStateCache.class);

    /**
     * KEYS[1] the entry; ARGV[1] the version, ARGV[2] the session JSON, ARGV[3] the TTL in ms. Anything under the key
     * that is not a hash, or a hash without a readable version, is corrupt and gets replaced.
     */
    static final String PUT_SCRIPT = """
            local kind = redis.call('TYPE', KEYS[1])['ok']
            if kind == 'hash' then
              local current = tonumber(redis.call('HGET', KEYS[1], 'v'))
              if current and current >= tonumber(ARGV[1]) then
                return 0
              end
            elseif kind ~= 'none' then
              redis.call('DEL', KEYS[1])
            end
            redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """;

    /** KEYS[1] the entry; ARGV[1] the corrupt value read. Drops the entry only if it still holds that value. */
    static final String DROP_CORRUPT_SCRIPT = """
            local kind = redis.call('TYPE', KEYS[1])['ok']
            if kind ~= 'hash' or redis.call('HGET', KEYS[1], 's') == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private static final String PUT_SHA = sha1(PUT_SCRIPT);
    private static final String DROP_CORRUPT_SHA = sha1(DROP_CORRUPT_SCRIPT);

    private final RedisCommands<String, String> redis;
    private final String keyPrefix;
    private final String ttlMillis;

    RedisLiveStateCache(RedisCommands<String, String> redis, String keyPrefix, Duration ttl) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keyPrefix = keyPrefix + "session:";
        this.ttlMillis = Long.toString(ttl.toMillis());
    }

    @Override
    public Optional<Session> get(SessionId id) {
        String key = key(id);
        String json;
        try {
            json = redis.hget(key, "s");
        } catch (RedisException e) {
            if (isWrongType(e)) {
                LOG.warn("Cache entry {} is not a hash; reading it as a miss", key);
                dropCorrupt(key, "");
                return Optional.empty();
            }
            throw unavailable("read the cache entry of session " + id, e);
        }
        if (json == null) {
            return Optional.empty();
        }
        try {
            Session session = RedisJson.sessionFromJson(json);
            if (!session.id().equals(id)) {
                throw new IllegalArgumentException("the entry holds session " + session.id());
            }
            return Optional.of(session);
        } catch (RuntimeException e) {
            LOG.warn("Cache entry {} cannot be decoded ({}); reading it as a miss", key, e.toString());
            dropCorrupt(key, json);
            return Optional.empty();
        }
    }

    @Override
    public boolean put(Session session) {
        String json = RedisJson.sessionToJson(session);
        Long written = evalsha(PUT_SHA, PUT_SCRIPT, key(session.id()), Long.toString(session.version()), json,
                ttlMillis);
        return written != null && written == 1L;
    }

    @Override
    public void remove(SessionId id) {
        try {
            redis.del(key(id));
        } catch (RedisException e) {
            throw unavailable("remove the cache entry of session " + id, e);
        }
    }

    private void dropCorrupt(String key, String corrupt) {
        try {
            evalsha(DROP_CORRUPT_SHA, DROP_CORRUPT_SCRIPT, key, corrupt);
        } catch (RuntimeException e) {
            LOG.warn("Could not drop corrupt cache entry {}: {}", key, e.toString());
        }
    }

    private Long evalsha(String sha, String script, String key, String... args) {
        String[] keys = {key};
        try {
            try {
                return redis.evalsha(sha, ScriptOutputType.INTEGER, keys, args);
            } catch (RedisNoScriptException notLoaded) {
                redis.scriptLoad(script);
                return redis.evalsha(sha, ScriptOutputType.INTEGER, keys, args);
            }
        } catch (RedisException e) {
            throw unavailable("write the cache entry " + key, e);
        }
    }

    String key(SessionId id) {
        return keyPrefix + id;
    }

    private static boolean isWrongType(RedisException e) {
        return e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE");
    }

    static RedisUnavailableException unavailable(String what, RedisException cause) {
        return new RedisUnavailableException("Redis is unavailable: could not " + what + ": " + cause.getMessage(),
                cause);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
