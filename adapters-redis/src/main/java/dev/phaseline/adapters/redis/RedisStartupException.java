package dev.phaseline.adapters.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.netty.channel.ConnectTimeoutException;
import java.util.concurrent.TimeoutException;

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

    /**
     * @return whether Redis only did not answer in time: the one failure that trying again may cure (a busy machine,
     *         a server still starting); a refused connection, an unknown host or an error reply will not change
     */
    public boolean timedOut() {
        return RedisAdapter.causes(getCause()).anyMatch(cause -> cause instanceof RedisCommandTimeoutException
                || cause instanceof ConnectTimeoutException || cause instanceof TimeoutException);
    }
}
