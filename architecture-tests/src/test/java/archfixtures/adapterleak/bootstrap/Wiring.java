package archfixtures.adapterleak.bootstrap;

import archfixtures.adapterleak.adapters.postgres.PostgresSessionStore;

public final class Wiring {

    private Wiring() {
    }

    public static PostgresSessionStore sessionStore(String jdbcUrl) {
        return new PostgresSessionStore(jdbcUrl);
    }
}
