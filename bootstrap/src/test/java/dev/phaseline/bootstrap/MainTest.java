package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MainTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        Map<String, String> withDataDir = new HashMap<>(env);
        withDataDir.putIfAbsent("PHASELINE_DATA_DIR", dataDir.toString());
        return Main.run(args, withDataDir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void token_prints_one_signed_token_and_exits_0() {
        int code = run(Map.of("PHASELINE_JWT_SECRET", SECRET),
                "token", "--sub", "alice", "--tenant", "acme", "--roles", "user,admin", "--ttl", "PT1H");

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(errLines()).isEmpty();
    }

    @Test
    void token_without_a_configured_secret_uses_the_data_directory_secret() {
        int code = run(Map.of(), "token", "--sub=alice", "--tenant=acme");

        assertThat(code).isZero();
        assertThat(dataDir.resolve(JwtSecrets.FILE_NAME)).exists();
    }

    @Test
    void token_with_an_unknown_flag_exits_2_with_one_line() {
        int code = run(Map.of("PHASELINE_JWT_SECRET", SECRET), "token", "--sub", "alice", "--tenant", "acme",
                "--colour", "blue");

        assertThat(code).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains("--colour");
        assertThat(out.size()).isZero();
    }

    @Test
    void the_training_run_with_arguments_exits_2_with_one_line() {
        int code = run(Map.of(), "training-run", "--fast");

        assertThat(code).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains("training-run takes no arguments");
    }

    @Test
    void token_without_a_tenant_exits_2_with_one_line() {
        int code = run(Map.of("PHASELINE_JWT_SECRET", SECRET), "token", "--sub", "alice");

        assertThat(code).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains("--tenant");
    }

    @Test
    void token_with_an_unknown_role_or_a_bad_ttl_exits_2() {
        assertThat(run(Map.of("PHASELINE_JWT_SECRET", SECRET), "token", "--sub", "a", "--tenant", "t",
                "--roles", "root")).isEqualTo(2);
        assertThat(run(Map.of("PHASELINE_JWT_SECRET", SECRET), "token", "--sub", "a", "--tenant", "t",
                "--ttl", "24h")).isEqualTo(2);
        assertThat(errLines()).hasSize(2);
    }

    @Test
    void an_unknown_command_exits_2() {
        assertThat(run(Map.of(), "launch")).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains("launch");
    }

    @Test
    void bad_configuration_stops_startup_with_one_line_naming_the_variable() {
        int code = run(Map.of("PHASELINE_CACHE_TTL", "abc"));

        assertThat(code).isEqualTo(1);
        assertThat(errLines()).singleElement().asString().startsWith("PHASELINE_CACHE_TTL: ");
    }

    @Test
    void an_unreachable_redis_stops_startup_with_one_line_naming_the_variable_before_postgres_starts() {
        int code = run(Map.of("PHASELINE_REDIS_URL", "redis://127.0.0.1:1", "PHASELINE_JWT_SECRET", SECRET,
                "PHASELINE_HTTP_PORT", "0"));

        assertThat(code).isEqualTo(1);
        assertThat(errLines()).singleElement().asString()
                .startsWith("PHASELINE_REDIS_URL: ").contains("127.0.0.1:1");
        assertThat(dataDir.resolve(EmbeddedPostgresServer.DIRECTORY)).doesNotExist();
    }

    @Test
    void a_redis_password_is_not_printed_when_redis_is_unreachable() {
        int code = run(Map.of("PHASELINE_REDIS_URL", "redis://:hunter2-secret@127.0.0.1:1",
                "PHASELINE_JWT_SECRET", SECRET, "PHASELINE_HTTP_PORT", "0"));

        assertThat(code).isEqualTo(1);
        assertThat(errLines()).singleElement().asString()
                .startsWith("PHASELINE_REDIS_URL: ").doesNotContain("hunter2");
    }

    @Test
    void an_unreachable_database_stops_startup_with_one_line_naming_the_variable() {
        int code = run(Map.of("PHASELINE_DB_URL", "jdbc:postgresql://127.0.0.1:1/phaseline",
                "PHASELINE_JWT_SECRET", SECRET, "PHASELINE_HTTP_PORT", "0"));

        assertThat(code).isEqualTo(1);
        assertThat(errLines()).singleElement().asString()
                .startsWith("PHASELINE_DB_URL: ").contains("127.0.0.1:1");
    }
}
