package archfixtures.adapterleak.benchmarks;

import archfixtures.adapterleak.adapters.postgres.PostgresSessionStore;

public final class SessionStoreBenchmark {

    private final PostgresSessionStore store = new PostgresSessionStore("jdbc:postgresql://localhost/bench");

    public String target() {
        return store.jdbcUrl();
    }
}
