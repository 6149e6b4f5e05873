package dev.phaseline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

    @Test
    void defaults() {
        BenchmarkOptions options = BenchmarkOptions.parse("store");

        assertThat(options.threads()).containsExactly(1, 16);
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.rounds()).isEqualTo(4);
        assertThat(options.sessions()).isEqualTo(100_000);
        assertThat(options.poolSize()).isEqualTo(16);
        assertThat(options.jitWarmup()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everyOption() {
        BenchmarkOptions options = BenchmarkOptions.parse("store", "--threads", "2,4,8", "--warmup", "500ms",
                "--duration", "1m", "--rounds", "3", "--sessions", "20_000", "--list-warmup", "0",
                "--list-duration", "2s", "--out", "x/report.md", "--jit-warmup", "3s");

        assertThat(options.threads()).isEqualTo(List.of(2, 4, 8));
        assertThat(options.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.sessions()).isEqualTo(20_000);
        assertThat(options.listWarmup()).isZero();
        assertThat(options.listDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.poolSize()).as("the largest thread count").isEqualTo(8);
        assertThat(options.out()).isEqualTo(Path.of("x/report.md"));
        assertThat(options.jitWarmup()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void explicitPoolSize() {
        assertThat(BenchmarkOptions.parse("store", "--pool-size", "4").poolSize()).isEqualTo(4);
    }

    @Test
    void rejectsWhatItDoesNotKnow() {
        assertThatThrownBy(BenchmarkOptions::parse).hasMessageContaining("store");
        assertThatThrownBy(() -> BenchmarkOptions.parse("jmh")).hasMessageContaining("unknown benchmark");
        assertThatThrownBy(() -> BenchmarkOptions.parse("store", "--fast", "1")).hasMessageContaining("--fast");
        assertThatThrownBy(() -> BenchmarkOptions.parse("store", "--threads")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchmarkOptions.parse("store", "--threads", "0"))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> BenchmarkOptions.parse("store", "--duration", "soon"))
                .hasMessageContaining("duration");
    }
}
