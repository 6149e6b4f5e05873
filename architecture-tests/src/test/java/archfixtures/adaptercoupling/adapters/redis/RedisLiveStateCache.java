package archfixtures.adaptercoupling.adapters.redis;

import archfixtures.adaptercoupling.adapters.postgres.PostgresSessionStore;
import io.lettuce.core.api.sync.RedisCommands;

public final class RedisLiveStateCache {

    private final RedisCommands<String, String> redis;
    private final PostgresSessionStore fallback;

    public RedisLiveStateCache(RedisCommands<String, String> redis, PostgresSessionStore fallback) {
        this.redis = redis;
        this.fallback = fallback;
    }

    public String phaseOf(String id) {
        String cached = redis.hget("session:" + id, "phase");
        return cached != null ? cached : fallback.phaseOf(id);
    }
}
