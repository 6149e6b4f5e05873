package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PhaselineBuilderTest {

    @Test
    void a_redis_url_of_another_scheme_is_refused_without_echoing_its_credentials() {
        assertThatThrownBy(() -> Phaseline.builder().redisUrl("http://:secret-password@127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://")
                .hasMessageNotContaining("secret-password");
        assertThatThrownBy(() -> Phaseline.builder().redisUrl("redis://"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_cache_ttl_under_one_second_is_refused() {
        assertThatThrownBy(() -> Phaseline.builder().cacheTtl(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 s");
    }
}
