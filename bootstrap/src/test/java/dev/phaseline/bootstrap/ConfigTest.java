package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void an_empty_environment_gives_the_documented_defaults() {
        Config config = Config.fromEnvironment(Map.of());

        assertThat(config.httpPort()).isEqualTo(7070);
        assertThat(config.dbUrl()).isEmpty();
        assertThat(config.dbPoolSize()).isEqualTo(10);
        assertThat(config.dataDir()).isEqualTo(Path.of("./phaseline-data"));
        assertThat(config.redisUrl()).isEmpty();
        assertThat(config.cacheTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(config.jwtSecret()).isEmpty();
        assertThat(config.corsOrigins()).isEmpty();
        assertThat(config.sseHeartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.sseBuffer()).isEqualTo(1024);
        assertThat(config.heartbeatTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.demoWorker()).isTrue();
    }

    @Test
    void every_variable_is_read() {
        Config config = Config.fromEnvironment(Map.ofEntries(
                Map.entry("PHASELINE_HTTP_PORT", "8080"),
                Map.entry("PHASELINE_DB_URL", "jdbc:postgresql://db:5432/phaseline"),
                Map.entry("PHASELINE_DB_USER", "app"),
                Map.entry("PHASELINE_DB_PASSWORD", "secret"),
                Map.entry("PHASELINE_DB_POOL_SIZE", "2"),
                Map.entry("PHASELINE_DATA_DIR", "/var/lib/phaseline"),
                Map.entry("PHASELINE_REDIS_URL", "redis://127.0.0.1:6379"),
                Map.entry("PHASELINE_CACHE_TTL", "PT1H"),
                Map.entry("PHASELINE_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
                Map.entry("PHASELINE_CORS_ORIGINS", "https://app.example.com, http://localhost:5173"),
                Map.entry("PHASELINE_SSE_HEARTBEAT", "PT5S"),
                Map.entry("PHASELINE_SSE_BUFFER", "16"),
                Map.entry("PHASELINE_HEARTBEAT_TIMEOUT", "PT30S"),
                Map.entry("PHASELINE_DEMO_WORKER", "false")));

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.dbUrl()).contains("jdbc:postgresql://db:5432/phaseline");
        assertThat(config.dbUser()).contains("app");
        assertThat(config.dbPassword()).contains("secret");
        assertThat(config.dbPoolSize()).isEqualTo(2);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/phaseline"));
        assertThat(config.redisUrl()).contains(URI.create("redis://127.0.0.1:6379"));
        assertThat(config.cacheTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(config.jwtSecret()).hasValueSatisfying(secret -> assertThat(secret).hasSize(32));
        assertThat(config.corsOrigins()).containsExactly("https://app.example.com", "http://localhost:5173");
        assertThat(config.sseHeartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.sseBuffer()).isEqualTo(16);
        assertThat(config.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.demoWorker()).isFalse();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "PHASELINE_HTTP_PORT|seventy",
        "PHASELINE_HTTP_PORT|70000",
        "PHASELINE_DB_URL|postgres://db/phaseline",
        "PHASELINE_DB_POOL_SIZE|0",
        "PHASELINE_REDIS_URL|http://127.0.0.1:6379",
        "PHASELINE_REDIS_URL|redis://",
        "PHASELINE_CACHE_TTL|24h",
        "PHASELINE_CACHE_TTL|PT0S",
        "PHASELINE_CACHE_TTL|PT0.5S",
        "PHASELINE_JWT_SECRET|too-short",
        "PHASELINE_CORS_ORIGINS|https://app.example.com/path",
        "PHASELINE_CORS_ORIGINS|*",
        "PHASELINE_SSE_HEARTBEAT|-PT5S",
        "PHASELINE_SSE_BUFFER|none",
        "PHASELINE_HEARTBEAT_TIMEOUT|5 minutes",
        "PHASELINE_DEMO_WORKER|yes",
    })
    void a_bad_value_stops_startup_with_one_line_naming_the_variable(String variable, String value) {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of(variable, value)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.variable()).isEqualTo(variable);
                    assertThat(e.getMessage()).startsWith(variable + ": ").doesNotContain("\n");
                });
    }

    @Test
    void a_bad_redis_url_is_refused_with_the_adapters_own_reason() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PHASELINE_REDIS_URL", "redis:///0")))
                .hasMessage("PHASELINE_REDIS_URL: 'redis:///0': the Redis URL must name a host, such as"
                        + " redis://127.0.0.1:6379");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PHASELINE_REDIS_URL", "http://cache:6379")))
                .hasMessageContaining("must start with redis:// or rediss://");
    }

    @Test
    void a_refused_redis_url_never_shows_its_password() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PHASELINE_REDIS_URL", "http://app:s3cret@cache:6379")))
                .hasMessageContaining("'http://app:***@cache:6379'").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PHASELINE_REDIS_URL", "redis://app:s3cret@ca che")))
                .hasMessageStartingWith("PHASELINE_REDIS_URL: not a URL").hasMessageNotContaining("s3cret");
    }

    @Test
    void blank_values_count_as_unset() {
        Config config = Config.fromEnvironment(Map.of("PHASELINE_REDIS_URL", " ", "PHASELINE_HTTP_PORT", ""));

        assertThat(config.redisUrl()).isEmpty();
        assertThat(config.httpPort()).isEqualTo(7070);
    }

    @Test
    void cors_origins_skip_empty_entries() {
        Config config = Config.fromEnvironment(Map.of("PHASELINE_CORS_ORIGINS", "https://a.example,,"));

        assertThat(config.corsOrigins()).isEqualTo(List.of("https://a.example"));
    }
}
