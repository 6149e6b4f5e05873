package dev.phaseline.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.PhaseOrder;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionMapperTest {

    private final Instant t0 = Instant.parse("2030-01-01T00:00:00.000001Z");

    @Test
    void a_session_paused_for_clarification_maps_to_a_row_and_back_unchanged() {
        Session s = Session.create(new SessionId(UUID.randomUUID()), "t1", "alice", null, null,
                (JsonValue.JsonObject) JsonValue.parse("{\"a\":[1,{\"b\":null}],\"c\":\"\\u00e9\"}"), t0).session();
        s = s.start(t0).session();
        s = s.changePhase(new Phase("deliberation"), PhaseOrder.ANY, t0).session();
        s = s.recordProgress(1, 10, new BigDecimal("1.2500"), t0).session();
        s = s.requestClarification(List.of(new Question("q1", "Why?", true)), t0).session();

        assertThat(SessionMapper.toDomain(SessionMapper.toEntity(s))).isEqualTo(s);
    }

    @Test
    void answers_and_failure_survive_the_mapping() {
        Session s = Session.create(new SessionId(UUID.randomUUID()), "t1", "alice", "w", "T", null, t0).session()
                .start(t0).session()
                .requestClarification(List.of(new Question("q1", "Why?", true)), t0).session()
                .answerClarification(Map.of("q1", "because \"quoted\""), t0).session()
                .fail("worker_lost", "gone", t0).session();

        assertThat(SessionMapper.toDomain(SessionMapper.toEntity(s))).isEqualTo(s);
    }

    @Test
    void settings_default_to_a_pool_of_ten_and_keep_the_password_out_of_text() {
        PostgresSettings settings = PostgresSettings.of("jdbc:postgresql://db/phaseline", "u", "secret");

        assertThat(settings.poolSize()).isEqualTo(10);
        assertThat(settings.toString()).doesNotContain("secret");
        assertThatThrownBy(() -> settings.withPoolSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withConnectionTimeout(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:mysql://db/x", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_test_database_url_keeps_host_and_parameters() {
        assertThat(TestDatabases.withDatabase("jdbc:postgresql://h:5433/postgres?ssl=false", "x"))
                .isEqualTo("jdbc:postgresql://h:5433/x?ssl=false");
        assertThat(TestDatabases.withDatabase("jdbc:postgresql://h/", "x")).isEqualTo("jdbc:postgresql://h/x");
    }
}
