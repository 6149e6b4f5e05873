package dev.phaseline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchTest {

    @Test
    void readsOptionsAfterTheSubcommand() {
        Bench.Args args = new Bench.Args(new String[] {"fanout", "--streams", "19,000", "--interval", "250ms"},
                "usage", "streams", "interval", "events");
        assertThat(args.integer("streams", 1)).isEqualTo(19_000);
        assertThat(args.duration("interval", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(args.integer("events", 10)).isEqualTo(10);
    }

    @Test
    void refusesUnknownOptionsWithTheUsage() {
        assertThatThrownBy(() -> new Bench.Args(new String[] {"http", "--nope", "1"}, "the usage", "rounds"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the usage");
        assertThatThrownBy(() -> new Bench.Args(new String[] {"http", "--rounds"}, "the usage", "rounds"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quantilesAreNearestRank() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = i + 1;
        }
        assertThat(Bench.quantile(values, 0.5)).isEqualTo(50);
        assertThat(Bench.quantile(values, 0.99)).isEqualTo(99);
        assertThat(Bench.quantile(values, 1.0)).isEqualTo(100);
        assertThat(Bench.quantile(new long[0], 0.5)).isEqualTo(-1);
    }
}
