package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The builder on real PostgreSQL, for what its unit test cannot show. */
@Timeout(120)
class PhaselineBuilderIT {

    private static final byte[] SECRET = "builder-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @Test
    void an_embedders_data_source_serves_commands_and_reads_and_stays_open_after_close() throws Exception {
        TestDatabase database = TestDatabase.create();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(3);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            String id;
            try (Phaseline phaseline = Phaseline.builder()
                    .dataSource(dataSource)
                    .http(0)
                    .httpHost("127.0.0.1")
                    .jwtSecret(SECRET)
                    .build()) {
                TestHttp http = new TestHttp(phaseline.httpPort());
                String alice = phaseline.tokenIssuer().issue("alice", "acme", List.of("user"), Duration.ofHours(1));

                TestHttp.Response created = http.post("/api/v1/sessions", alice, "{\"title\":\"embedded pool\"}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                id = created.json().get("id").asText();
                TestHttp.Response started = http.post("/api/v1/sessions/" + id + "/start", alice, null);
                assertThat(started.status()).as(started.body()).isEqualTo(200);
                TestHttp.Response read = http.get("/api/v1/sessions/" + id, alice);

                assertThat(read.status()).as(read.body()).isEqualTo(200);
                assertThat(read.json().get("status").asText()).isEqualTo("running");
                assertThat(read.json().get("title").asText()).isEqualTo("embedded pool");
                assertThat(phaseline.databaseDescription()).isEqualTo("the embedder's data source");
            }

            // Its Javadoc: the embedder keeps the data source and closes it; Phaseline's close() leaves it open.
            assertThat(dataSource.isClosed()).isFalse();
            // The database is new and only the data source leads to it, so what Phaseline stored went through it.
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement select = connection.prepareStatement(
                            "SELECT title, status, version FROM sessions WHERE id = ?")) {
                select.setObject(1, UUID.fromString(id));
                try (ResultSet row = select.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString("title")).isEqualTo("embedded pool");
                    assertThat(row.getString("status")).isEqualTo("running");
                    assertThat(row.getLong("version")).isEqualTo(2);
                }
            }
        }
    }
}
