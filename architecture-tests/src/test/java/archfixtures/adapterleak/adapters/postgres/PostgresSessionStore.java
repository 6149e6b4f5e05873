package archfixtures.adapterleak.adapters.postgres;

public final class PostgresSessionStore {

    private final String jdbcUrl;

    public PostgresSessionStore(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }
}
