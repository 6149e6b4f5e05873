package dev.phaseline.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    @Test
    void of_fills_in_the_defaults() {
        RedisSettings settings = RedisSettings.of(URI.create("redis://127.0.0.1:6379"));

        assertThat(settings.cacheTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.keyPrefix()).isEqualTo("phaseline:");
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void the_password_never_appears_in_the_text_form() {
        RedisSettings settings = RedisSettings.of(URI.create("redis://app:s3cret@cache.internal:6380/2"));

        assertThat(settings.toString()).doesNotContain("s3cret").contains("redis://app:***@cache.internal:6380/2");
        assertThat(settings.redactedUrl()).doesNotContain("s3cret");
    }

    @Test
    void malformed_settings_are_refused() {
        URI url = URI.create("redis://127.0.0.1:6379");
        assertThatThrownBy(() -> RedisSettings.of(URI.create("http://127.0.0.1:6379")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSettings.of(url).withCacheTtl(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSettings.of(url).withCommandTimeout(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSettings.of(url).withKeyPrefix(null)).isInstanceOf(NullPointerException.class);
    }
}
