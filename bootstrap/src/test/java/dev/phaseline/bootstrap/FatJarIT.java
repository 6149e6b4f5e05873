package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.adapters.redis.testing.RedisTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar starts on embedded PostgreSQL and becomes ready: Flyway's PostgreSQL support, found through
 * ServiceLoader, survived shading; and so did Lettuce and netty, with Redis set.
 */
@Timeout(180)
class FatJarIT {

    @TempDir
    Path temp;

    @Test
    void the_runnable_jar_starts_and_becomes_ready() {
        Path jar = Path.of(System.getProperty("phaseline.jar", "target/phaseline.jar"));
        assertThat(jar).exists();
        long begin = System.nanoTime();

        try (ServerProcess server = ServerProcess.startJar(jar, temp.resolve("data"), Map.of())) {
            long millis = (System.nanoTime() - begin) / 1_000_000;
            System.out.println("phaseline.jar: /ready 200 after " + millis + " ms (embedded PostgreSQL, cold)");

            TestHttp.Response ready = server.http.get("/ready", null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("checks").get("migrations").asText()).isEqualTo("up");
            assertThat(server.output()).contains("is ready at http://localhost:" + server.port, "export USER_TOKEN=");
            assertThat(Files.exists(temp.resolve("data").resolve("postgres").resolve("PG_VERSION"))).isTrue();
        }
    }

    /**
     * The archive the build recorded with the training run belongs to this JDK and this jar: with {@code -Xshare:on}
     * the JVM refuses to start unless it maps, and the server's classes then come from it.
     */
    @Test
    void the_runnable_jar_starts_from_the_class_archive_the_build_recorded() {
        Path jar = Path.of(System.getProperty("phaseline.jar", "target/phaseline.jar"));
        Path archive = Path.of(System.getProperty("phaseline.classArchive", "target/phaseline.jsa"));
        assertThat(archive).exists();

        try (ServerProcess server = ServerProcess.startJar(jar, List.of("-Xshare:on", "-XX:SharedArchiveFile="
                + archive, "-Xlog:class+load=info"), temp.resolve("data-archive"), Map.of())) {
            assertThat(server.http.get("/ready", null).status()).isEqualTo(200);
            assertThat(server.output()).contains("dev.phaseline.bootstrap.Main source: shared objects file",
                    "org.hibernate.internal.SessionFactoryImpl source: shared objects file",
                    "io.javalin.Javalin source: shared objects file");
        }
    }

    @Test
    void the_runnable_jar_starts_with_redis_and_reports_it_ready() {
        Path jar = Path.of(System.getProperty("phaseline.jar", "target/phaseline.jar"));
        try (RedisTestServer redis = RedisTestServer.start();
                ServerProcess server = ServerProcess.startJar(jar, temp.resolve("data-redis"),
                        Map.of("PHASELINE_REDIS_URL", redis.url().toString(), "PHASELINE_CACHE_TTL", "PT1H"))) {
            TestHttp.Response ready = server.http.get("/ready", null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("checks").get("redis").asText()).isEqualTo("up");
            assertThat(ready.json().get("checks").get("postgres").asText()).isEqualTo("up");
            assertThat(server.output()).contains("Connected to Redis at " + redis.url());
        }
    }
}
