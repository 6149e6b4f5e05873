package archfixtures.lettuceleak.adapters.redis;

import io.lettuce.core.RedisClient;

public final class RedisLiveStateCache {

    private final RedisClient client;

    public RedisLiveStateCache(String redisUrl) {
        this.client = RedisClient.create(redisUrl);
    }

    public void close() {
        client.shutdown();
    }
}
