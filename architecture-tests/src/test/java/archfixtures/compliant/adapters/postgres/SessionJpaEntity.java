package archfixtures.compliant.adapters.postgres;

import archfixtures.compliant.domain.Session;
import archfixtures.compliant.domain.SessionId;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "sessions")
public class SessionJpaEntity {

    @Id
    private UUID id;

    private String phase;

    protected SessionJpaEntity() {
    }

    static SessionJpaEntity from(Session session) {
        SessionJpaEntity entity = new SessionJpaEntity();
        entity.id = session.id().value();
        entity.phase = session.phase();
        return entity;
    }

    Session toDomain() {
        return new Session(new SessionId(id), phase, BigDecimal.ZERO, Instant.EPOCH, List.of());
    }
}
