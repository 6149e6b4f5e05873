package dev.phaseline.adapters.redis;

/**
 * The adapter could not start: Redis is unreachable at the configured URL or refused the connection (for example a
 * wrong password). The message names the URL, without its password. Startup stops: the adapter never runs
 * half-connected.
 */
public final class RedisStartupException extends RuntimeException {

    /**
     * @param message what failed, in one line
     * @param cause   the underlying failure
     */
    public RedisStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
