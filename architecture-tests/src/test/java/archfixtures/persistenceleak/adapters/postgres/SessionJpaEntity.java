package archfixtures.persistenceleak.adapters.postgres;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.UUID;

@Entity
public class SessionJpaEntity {

    @Id
    private UUID id;

    protected SessionJpaEntity() {
    }

    public UUID id() {
        return id;
    }
}
