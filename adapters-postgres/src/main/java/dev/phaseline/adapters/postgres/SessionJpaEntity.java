package dev.phaseline.adapters.postgres;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code sessions}: the adapter's persistent form of a {@link dev.phaseline.domain.Session}, converted by
 * {@link SessionMapper}. JSON columns hold the domain's own JSON text; the domain never sees this type.
 */
@Entity
@Table(name = "sessions")
class SessionJpaEntity {

    @Id
    @Column(name = "id", nullable = false)
    UUID id;

    @Column(name = "tenant_id", nullable = false, length = 128)
    String tenantId;

    @Column(name = "owner_id", nullable = false, length = 128)
    String ownerId;

    @Column(name = "workflow", nullable = false, length = 64)
    String workflow;

    @Column(name = "title", length = 200)
    String title;

    @Column(name = "status", nullable = false, length = 16)
    String status;

    @Column(name = "phase", length = 64)
    String phase;

    @Column(name = "pause_reason", length = 32)
    String pauseReason;

    @Column(name = "pause_since")
    Instant pauseSince;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pause_questions")
    String pauseQuestions;

    @Column(name = "progress_round", nullable = false)
    int progressRound;

    @Column(name = "progress_percent")
    Integer progressPercent;

    @Column(name = "cost_usd", nullable = false)
    BigDecimal costUsd;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "input", nullable = false)
    String input;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "result")
    String result;

    @Column(name = "failure_code", length = 64)
    String failureCode;

    @Column(name = "failure_message", columnDefinition = "text")
    String failureMessage;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "answers", nullable = false)
    String answers;

    @Column(name = "version", nullable = false)
    long version;

    @Column(name = "last_event_seq", nullable = false)
    long lastEventSeq;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "started_at")
    Instant startedAt;

    @Column(name = "ended_at")
    Instant endedAt;

    @Column(name = "last_heartbeat_at")
    Instant lastHeartbeatAt;

    SessionJpaEntity() {
    }
}
