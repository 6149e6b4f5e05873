package dev.phaseline.adapters.http;

import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.domain.Command;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's {@link ApplicationMetrics} port on Micrometer: commands by type and outcome
 * ({@code phaseline_commands_total}), live-state cache hits and misses ({@code phaseline_cache_reads_total}),
 * skipped cache or bus calls ({@code phaseline_port_failures_total}), bus resyncs after which streams caught up
 * from the log ({@code phaseline_bus_resyncs_total}) and open subscriptions ({@code phaseline_subscriptions_open}).
 * Whoever builds the core passes it in; it never throws.
 */
public final class MicrometerApplicationMetrics implements ApplicationMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger openSubscriptions = new AtomicInteger();
    private final Counter busResyncs;
    /** Counters by name and tag values, so that counting is a map lookup, not a registration per call. */
    private final Map<List<Object>, Counter> counters = new ConcurrentHashMap<>();

    /** @param registry where the meters are registered */
    public MicrometerApplicationMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        registry.gauge("phaseline.subscriptions.open", openSubscriptions);
        // Registered up front, so a scrape shows 0 before the first resync instead of no series at all.
        busResyncs = Counter.builder("phaseline.bus.resyncs")
                .description("times the event bus reported possibly lost events; streams caught up from the log"
                        + " and known versions were forgotten")
                .register(registry);
    }

    @Override
    public void busResynced() {
        quietly(busResyncs::increment);
    }

    @Override
    public void commandExecuted(Command command, String outcome) {
        quietly(() -> counters.computeIfAbsent(List.of("commands", command, outcome), key -> Counter
                .builder("phaseline.commands")
                .description("commands by type and outcome")
                .tag("command", command.wireName())
                .tag("outcome", outcome)
                .register(registry)).increment());
    }

    @Override
    public void cacheRead(boolean hit) {
        quietly(() -> counters.computeIfAbsent(List.of("cache.reads", hit), key -> Counter
                .builder("phaseline.cache.reads")
                .description("live-state cache reads by result")
                .tag("result", hit ? "hit" : "miss")
                .register(registry)).increment());
    }

    @Override
    public void portFailed(String port) {
        quietly(() -> Counter.builder("phaseline.port.failures")
                .description("skipped calls to the cache or the bus")
                .tag("port", port)
                .register(registry).increment());
    }

    @Override
    public void subscriptionOpened() {
        openSubscriptions.incrementAndGet();
    }

    @Override
    public void subscriptionEnded(String reason) {
        openSubscriptions.decrementAndGet();
        quietly(() -> Counter.builder("phaseline.subscriptions.ended")
                .description("ended subscriptions by reason")
                .tag("reason", reason)
                .register(registry).increment());
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException ignored) {
            // metrics must never fail the application
        }
    }
}
