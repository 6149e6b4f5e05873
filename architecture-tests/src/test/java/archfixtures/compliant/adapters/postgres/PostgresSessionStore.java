package archfixtures.compliant.adapters.postgres;

import archfixtures.compliant.application.port.SessionStore;
import archfixtures.compliant.domain.Session;
import archfixtures.compliant.domain.SessionId;
import com.zaxxer.hikari.HikariConfig;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;

public final class PostgresSessionStore implements SessionStore {

    private final SessionFactory sessionFactory;

    PostgresSessionStore(SessionFactory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    public static PostgresSessionStore connect(String jdbcUrl) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        Flyway.configure().dataSource(jdbcUrl, null, null).load().migrate();
        return new PostgresSessionStore(openSessionFactory(pool));
    }

    private static SessionFactory openSessionFactory(HikariConfig pool) {
        throw new UnsupportedOperationException("a fixture, never run: " + pool.getJdbcUrl());
    }

    @Override
    public Optional<Session> find(SessionId id) {
        try (org.hibernate.Session session = sessionFactory.openSession()) {
            SessionJpaEntity entity = session.find(SessionJpaEntity.class, id.value());
            return Optional.ofNullable(entity).map(SessionJpaEntity::toDomain);
        }
    }

    @Override
    public void save(Session session) {
        sessionFactory.inTransaction(hibernate -> hibernate.merge(SessionJpaEntity.from(session)));
    }
}
