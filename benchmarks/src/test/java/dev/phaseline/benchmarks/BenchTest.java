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

    @Test
    void readsBothP99sFromTheLoadClientsResultAndNoneWhereNothingArrived() {
        String[] results = {
            "RESULT before-stall events=10 streams=19000 received=190000 missing=0 p50=199.2 p90=623.6 p99=942.8"
                    + " max=1481.9 min=-309.1 | from-command-start p50=430.8 p99=1165.7 max=1523.7",
            "RESULT state events=0 streams=0 received=0 missing=0 p50=-0.0 p90=-0.0 p99=-0.0 max=- min=- |"
                    + " from-command-start p50=-0.0 p99=-0.0 max=-",
            "ERROR unknown"};
        double[] p99 = FanoutBench.p99s(results, FanoutBench.P99);
        double[] fromStart = FanoutBench.p99s(results, FanoutBench.P99_FROM_START);
        assertThat(p99[0]).isEqualTo(942.8);
        assertThat(fromStart[0]).isEqualTo(1165.7);
        assertThat(p99[1]).isNaN();
        assertThat(fromStart[1]).isNaN();
        assertThat(p99[2]).isNaN();
        assertThat(fromStart[2]).isNaN();
    }
}
