package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.phaseline.adapters.redis.testing.RedisTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void the_runnable_jar_starts_becomes_ready_and_prints_tokens_it_accepts_for_tenant_demo() {
        Path jar = Path.of(System.getProperty("phaseline.jar", "target/phaseline.jar"));
        assertThat(jar).exists();
        long begin = System.nanoTime();

        try (ServerProcess server = ServerProcess.startJar(jar, temp.resolve("data"), Map.of())) {
            long millis = (System.nanoTime() - begin) / 1_000_000;
            System.out.println("phaseline.jar: /ready 200 after " + millis + " ms (embedded PostgreSQL, cold)");

            TestHttp.Response ready = server.http.get("/ready", null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("checks").get("migrations").asText()).isEqualTo("up");
            assertThat(Files.exists(temp.resolve("data").resolve("postgres").resolve("PG_VERSION"))).isTrue();

            // The tokens people copy from the welcome text: each must be who it says it is.
            String user = printedToken(server, "USER_TOKEN");
            String admin = printedToken(server, "ADMIN_TOKEN");
            assertThat(server.output()).contains("is ready at http://localhost:" + server.port);
            TestHttp.Response alice = server.http.get("/api/v1/me", user);
            assertThat(alice.status()).as(alice.body()).isEqualTo(200);
            assertThat(alice.json().get("userId").asText()).isEqualTo("alice");
            assertThat(alice.json().get("tenantId").asText()).isEqualTo("demo");
            assertThat(alice.json().get("roles")).extracting(JsonNode::asText).containsExactly("user");
            TestHttp.Response root = server.http.get("/api/v1/me", admin);
            assertThat(root.status()).as(root.body()).isEqualTo(200);
            assertThat(root.json().get("userId").asText()).isEqualTo("admin");
            assertThat(root.json().get("tenantId").asText()).isEqualTo("demo");
            assertThat(root.json().get("roles")).extracting(JsonNode::asText).containsExactly("admin");
            assertThat(server.http.get("/api/v1/admin/stats", admin).status()).isEqualTo(200);
            assertThat(server.http.get("/api/v1/admin/stats", user).status()).isEqualTo(403);
        }
    }

    /**
     * The archive the build recorded with the training run belongs to this JDK and this jar: with {@code -Xshare:on}
     * the JVM refuses to start unless it maps, and the server's classes then come from it.
     */
    @Test
    void the_runnable_jar_starts_from_the_class_archive_the_build_recorded() {
        // A build told to skip recording it has no archive of this jar to test (an older one would not map).
        assumeFalse(Boolean.getBoolean("phaseline.skipClassArchive"), "the build skipped the class archive");
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

    /** @return the token the welcome text exports as {@code variable}, waiting for it: it follows readiness */
    private static String printedToken(ServerProcess server, String variable) {
        Pattern export = Pattern.compile("export " + variable + "=(\\S+)\\s");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Matcher line = export.matcher(server.output());
            if (line.find()) {
                return line.group(1);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(variable + " not in the output:\n" + server.output());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
