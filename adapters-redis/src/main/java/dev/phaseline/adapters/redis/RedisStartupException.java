package dev.phaseline.adapters.redis;

/**
 * The adapter could not start: Redis is unreachable at the configured URL or refused the connection (for example a
 * wrong password). The message names the URL, without its password. Startup stops: the adapter never runs
 * half-connected.
 */
public final class RedisStartupException extends RuntimeException {

    private final boolean timedOut;

    /**
     * @param message  what failed, in one line
     * @param cause    the underlying failure
     * @param timedOut whether Redis only did not answer in time (as opposed to refusing, being unknown or answering
     *                 with an error such as a wrong password)
     */
    public RedisStartupException(String message, Throwable cause, boolean timedOut) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /**
     * @return whether Redis only did not answer in time: the one failure that trying again may cure (a busy machine,
     *         a server still starting); a refused connection, an unknown host or an error reply will not change
     */
    public boolean timedOut() {
        return timedOut;
    }
}
