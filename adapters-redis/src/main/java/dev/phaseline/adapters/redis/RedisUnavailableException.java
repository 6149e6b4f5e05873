package dev.phaseline.adapters.redis;

/**
 * Redis could not be reached or did not answer in time. The application logs it and carries on without the cache
 * or the cross-node bus; the durable log in PostgreSQL stays the record.
 */
public final class RedisUnavailableException extends RuntimeException {

    /**
     * @param message what failed, in one line
     * @param cause   the underlying failure
     */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
