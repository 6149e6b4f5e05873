package dev.phaseline.adapters.http;

import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.inprocess.InProcessLiveStateCache;
import dev.phaseline.application.memory.InMemorySessionStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** A real server on a random port over a real core with the in-memory store. */
final class TestServer implements AutoCloseable {

    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);
    static final String ALLOWED_ORIGIN = "https://app.example.com";

    final InMemorySessionStore store = new InMemorySessionStore();
    final InProcessLiveStateCache cache = new InProcessLiveStateCache();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final PhaselineCore core;
    final HttpApi api;
    final int port;
    final TokenIssuer issuer = new TokenIssuer(SECRET);

    TestServer() {
        this(1024, Duration.ofSeconds(15), Duration.ofSeconds(10), Map.of());
    }

    TestServer(int subscriberBuffer, Duration heartbeat, Duration writeTimeout,
            Map<String, BooleanSupplier> readiness) {
        this(subscriberBuffer, heartbeat, writeTimeout, HttpSettings.DEFAULT_STREAM_BUFFER, readiness);
    }

    TestServer(int subscriberBuffer, Duration heartbeat, Duration writeTimeout, int streamBuffer,
            Map<String, BooleanSupplier> readiness) {
        core = PhaselineCore.builder()
                .store(store)
                .eventLog(store.eventLog())
                .cache(cache)
                .metrics(new MicrometerApplicationMetrics(registry))
                .subscriberBuffer(subscriberBuffer)
                .sweepInterval(Duration.ZERO)
                .build();
        HttpSettings settings = HttpSettings.of(SECRET)
                .withCorsOrigins(Set.of(ALLOWED_ORIGIN))
                .withSseHeartbeat(heartbeat)
                .withSseWriteTimeout(writeTimeout)
                .withSseStreamBuffer(streamBuffer)
                .withReadiness(readiness);
        api = new HttpApi(core, settings, registry);
        port = api.start("127.0.0.1", 0);
    }

    String token(String user, String tenant, String... roles) {
        return issuer.issue(user, tenant, List.of(roles), Duration.ofMinutes(10));
    }

    Client client() {
        return new Client(port);
    }

    /** @return the number of sessions in the store, of every tenant and status */
    long storedSessions() {
        return store.countByTenantAndStatus().values().stream()
                .flatMap(counts -> counts.values().stream()).mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        api.stop();
        core.close();
    }
}
