package archfixtures.compliant.bootstrap;

import archfixtures.compliant.adapters.http.SessionRoutes;
import archfixtures.compliant.adapters.postgres.PostgresSessionStore;
import archfixtures.compliant.adapters.redis.RedisLiveStateCache;
import archfixtures.compliant.application.SessionCommands;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;

public final class PhaselineServer {

    private PhaselineServer() {
    }

    public static Javalin start(String jdbcUrl, String redisUrl, int port) {
        SessionCommands commands =
                new SessionCommands(PostgresSessionStore.connect(jdbcUrl), RedisLiveStateCache.connect(redisUrl));
        SessionRoutes routes = new SessionRoutes(commands, new ObjectMapper());
        return Javalin.create(routes::mount).start(port);
    }
}
