package archfixtures.adaptercoupling.adapters.postgres;

import jakarta.persistence.EntityManager;

public final class PostgresSessionStore {

    private final EntityManager entityManager;

    public PostgresSessionStore(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public String phaseOf(String id) {
        return (String) entityManager.createNativeQuery("select phase from sessions where id = ?1")
                .setParameter(1, id)
                .getSingleResult();
    }
}
