package dev.phaseline.adapters.postgres;

/**
 * The adapter could not start: PostgreSQL is unreachable, a migration failed, or the schema does not match the
 * model. The message says which; for a drift it names the table and the column. Startup stops: the adapter never
 * runs half-working.
 */
public final class PostgresStartupException extends RuntimeException {

    /**
     * @param message what failed, in one line
     * @param cause   the underlying failure
     */
    public PostgresStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
