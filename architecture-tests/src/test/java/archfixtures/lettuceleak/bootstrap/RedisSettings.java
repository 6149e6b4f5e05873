package archfixtures.lettuceleak.bootstrap;

import io.lettuce.core.RedisURI;

public final class RedisSettings {

    private RedisSettings() {
    }

    public static String host(String redisUrl) {
        return RedisURI.create(redisUrl).getHost();
    }
}
