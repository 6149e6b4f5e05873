package dev.phaseline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The application metrics as Prometheus scrapes them. */
class MicrometerApplicationMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerApplicationMetrics metrics = new MicrometerApplicationMetrics(registry);

    @Test
    void bus_resyncs_are_counted_and_scraped_from_zero() {
        assertThat(registry.scrape()).contains("phaseline_bus_resyncs_total 0.0");

        metrics.busResynced();
        metrics.busResynced();

        assertThat(registry.scrape()).contains("phaseline_bus_resyncs_total 2.0");
    }
}
