package dev.phaseline.adapters.redis;

import dev.phaseline.adapters.redis.testing.RedisTestServer;
import dev.phaseline.application.contract.EventBusContract;
import dev.phaseline.application.port.EventBus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The application's EventBus contract, unchanged, against a real Redis: every node is its own {@link RedisAdapter}
 * with its own connections, and the nodes of one test share a channel no other test uses.
 */
class RedisEventBusContractIT extends EventBusContract {

    private static RedisTestServer server;

    private final List<RedisAdapter> adapters = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startServer() {
        server = RedisTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newChannel() {
        prefix = "bus-contract-" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void closeAdapters() {
        adapters.forEach(RedisAdapter::close);
        adapters.clear();
    }

    @Override
    protected EventBus newNode() {
        RedisAdapter adapter = RedisAdapter.connect(RedisSettings.of(server.url()).withKeyPrefix(prefix));
        adapters.add(adapter);
        return adapter.bus();
    }
}
