package archfixtures.lettuceleak.adapters.http;

import io.javalin.http.Context;
import io.lettuce.core.api.StatefulRedisConnection;

public final class ReadinessRoute {

    private final StatefulRedisConnection<String, String> redis;

    public ReadinessRoute(StatefulRedisConnection<String, String> redis) {
        this.redis = redis;
    }

    public void ready(Context ctx) {
        ctx.result(redis.sync().ping());
    }
}
