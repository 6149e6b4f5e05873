package archfixtures.applicationleak.application;

import io.micrometer.core.instrument.MeterRegistry;

public final class SessionMetrics {

    private final MeterRegistry registry;

    public SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void completed() {
        registry.counter("phaseline.sessions.completed").increment();
    }
}
