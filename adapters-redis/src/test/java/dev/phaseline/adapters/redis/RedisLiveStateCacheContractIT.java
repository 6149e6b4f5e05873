package dev.phaseline.adapters.redis;

import dev.phaseline.adapters.redis.testing.RedisTestServer;
import dev.phaseline.application.contract.LiveStateCacheContract;
import dev.phaseline.application.port.LiveStateCache;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The application's LiveStateCache contract, unchanged, against a real Redis: a key prefix per test. */
class RedisLiveStateCacheContractIT extends LiveStateCacheContract {

    private static RedisTestServer server;
    private static RedisAdapter adapter;

    @BeforeAll
    static void connect() {
        server = RedisTestServer.start();
        adapter = RedisAdapter.connect(RedisSettings.of(server.url())
                .withKeyPrefix("cache-contract-" + UUID.randomUUID() + ":"));
    }

    @AfterAll
    static void disconnect() {
        adapter.close();
        server.close();
    }

    @Override
    protected LiveStateCache newCache() {
        // Every test uses fresh session ids, so no test sees another's entries; the prefix keeps a shared
        // external server's other keys out of reach.
        return adapter.cache();
    }
}
