package dev.phaseline.adapters.redis;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the last command on the shared command connection failed to reach Redis (it was rejected, timed out, or
 * the connection broke), and no command succeeded since. The bus sends without waiting while the connection is
 * healthy, and waits for Redis's reply while it is not, so that a caller learns of an outage from the call itself.
 */
final class ConnectionHealth {

    private final AtomicBoolean failing = new AtomicBoolean();

    /** @return whether the last command that reached a conclusion failed for want of Redis */
    boolean failing() {
        return failing.get();
    }

    /** @return whether this is the first failure since the connection last worked */
    boolean failed() {
        return failing.compareAndSet(false, true);
    }

    /** @return whether the connection was failing until now; costs a read only, while it works */
    boolean succeeded() {
        return failing.get() && failing.compareAndSet(true, false);
    }
}
