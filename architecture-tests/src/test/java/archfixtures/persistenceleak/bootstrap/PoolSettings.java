package archfixtures.persistenceleak.bootstrap;

import com.zaxxer.hikari.HikariConfig;

public final class PoolSettings {

    private PoolSettings() {
    }

    public static HikariConfig fromEnvironment(String jdbcUrl, int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(maximumPoolSize);
        return config;
    }
}
