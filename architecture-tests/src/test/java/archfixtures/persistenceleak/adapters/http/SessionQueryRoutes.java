package archfixtures.persistenceleak.adapters.http;

import jakarta.persistence.EntityManager;
import java.util.List;

public final class SessionQueryRoutes {

    private final EntityManager entityManager;

    public SessionQueryRoutes(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public List<?> running() {
        return entityManager.createNativeQuery("select id from sessions where status = 'running'").getResultList();
    }
}
