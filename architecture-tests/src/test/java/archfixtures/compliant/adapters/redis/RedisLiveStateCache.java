package archfixtures.compliant.adapters.redis;

import archfixtures.compliant.application.port.LiveStateCache;
import archfixtures.compliant.domain.Session;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

public final class RedisLiveStateCache implements LiveStateCache {

    private final StatefulRedisConnection<String, String> connection;

    RedisLiveStateCache(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
    }

    public static RedisLiveStateCache connect(String redisUrl) {
        return new RedisLiveStateCache(RedisClient.create(redisUrl).connect());
    }

    @Override
    public void put(Session session) {
        connection.sync().hset("session:" + session.id().value(), "phase", session.phase());
    }
}
