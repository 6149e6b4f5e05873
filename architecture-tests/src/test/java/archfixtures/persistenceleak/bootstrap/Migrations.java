package archfixtures.persistenceleak.bootstrap;

import org.flywaydb.core.Flyway;

public final class Migrations {

    private Migrations() {
    }

    public static void run(String jdbcUrl, String user, String password) {
        Flyway.configure().dataSource(jdbcUrl, user, password).load().migrate();
    }
}
