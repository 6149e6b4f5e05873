package dev.phaseline.adapters.postgres;

import dev.phaseline.application.port.StoreUnavailableException;
import java.sql.SQLException;

/**
 * Turns failures of PostgreSQL, the JDBC driver, the pool and Hibernate into the application's own errors, so that
 * none of their types crosses a port.
 */
final class PostgresErrors {

    /** unique_violation, serialization_failure, deadlock_detected: another writer won the race. */
    private static final java.util.Set<String> CONFLICT_STATES = java.util.Set.of("23505", "40001", "40P01");

    private PostgresErrors() {
    }

    /** Work against the database that may fail with a technology exception. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs work and translates its failures: the application's own exceptions pass through; anything of the
     * database, driver, pool or ORM becomes {@link StoreUnavailableException}.
     *
     * @param what what is being done, for the message
     */
    static <T> T unavailableOnFailure(String what, Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw unavailable(what, e);
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    /** @return the unavailable error for a technology failure, or the failure itself when it is not one */
    static RuntimeException translate(String what, RuntimeException e) {
        return isTechnology(e) ? unavailable(what, e) : e;
    }

    static StoreUnavailableException unavailable(String what, Throwable cause) {
        return new StoreUnavailableException("PostgreSQL could not " + what + ": " + describe(cause), cause);
    }

    /** @return whether the failure means that a concurrent writer won (unique or serialization conflict) */
    static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null && CONFLICT_STATES.contains(e.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isTechnology(RuntimeException e) {
        if (e instanceof dev.phaseline.domain.PhaselineException) {
            return false;
        }
        String name = e.getClass().getName();
        return name.startsWith("org.hibernate.") || name.startsWith("jakarta.persistence.")
                || name.startsWith("com.zaxxer.") || name.startsWith("org.postgresql.")
                || e.getCause() instanceof SQLException;
    }

    private static String describe(Throwable cause) {
        Throwable deepest = cause;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                deepest = t;
            }
        }
        String message = deepest.getMessage();
        return message == null ? deepest.getClass().getSimpleName() : message;
    }
}
