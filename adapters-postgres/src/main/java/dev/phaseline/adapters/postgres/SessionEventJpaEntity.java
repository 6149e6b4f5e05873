package dev.phaseline.adapters.postgres;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code session_events}: the adapter's persistent form of a
 * {@link dev.phaseline.application.port.StoredEvent}, converted by {@link SessionMapper}.
 */
@Entity
@Table(name = "session_events")
class SessionEventJpaEntity {

    @Id
    @Column(name = "position", nullable = false)
    long position;

    @Column(name = "session_id", nullable = false)
    UUID sessionId;

    @Column(name = "tenant_id", nullable = false, length = 128)
    String tenantId;

    @Column(name = "seq", nullable = false)
    long seq;

    @Column(name = "type", nullable = false, length = 128)
    String type;

    @Column(name = "at", nullable = false)
    Instant at;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "data", nullable = false)
    String data;

    SessionEventJpaEntity() {
    }
}
