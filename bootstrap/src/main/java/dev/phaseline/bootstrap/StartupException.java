package dev.phaseline.bootstrap;

import java.util.Objects;

/**
 * Phaseline could not start, and nothing of it is left running. The message is one line; {@link #setting()} says
 * which setting is at fault, so that the server can name its environment variable.
 */
public final class StartupException extends RuntimeException {

    /** The settings a startup failure can be blamed on, with the environment variable the server reads them from. */
    public enum Setting {
        /** The external database ({@code jdbcUrl} / {@code dataSource}). */
        DATABASE("PHASELINE_DB_URL"),
        /** The data directory: embedded PostgreSQL and the generated JWT secret. */
        DATA_DIRECTORY("PHASELINE_DATA_DIR"),
        /** The HTTP port. */
        HTTP_PORT("PHASELINE_HTTP_PORT"),
        /** Redis. */
        REDIS("PHASELINE_REDIS_URL"),
        /** The JWT secret. */
        JWT_SECRET("PHASELINE_JWT_SECRET");

        private final String variable;

        Setting(String variable) {
            this.variable = variable;
        }

        /** @return the environment variable the server reads this setting from */
        public String variable() {
            return variable;
        }
    }

    private final Setting setting;

    /**
     * @param setting the setting at fault
     * @param message what went wrong, in one line
     * @param cause   the underlying failure, or {@code null}
     */
    public StartupException(Setting setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = Objects.requireNonNull(setting, "setting");
    }

    /** @return the setting at fault */
    public Setting setting() {
        return setting;
    }
}
