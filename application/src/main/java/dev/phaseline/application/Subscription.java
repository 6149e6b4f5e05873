package dev.phaseline.application;

/** An open subscription. */
public interface Subscription extends AutoCloseable {

    /** Stops delivery. Idempotent; the listener gets no further call. */
    @Override
    void close();

    /** @return whether it has ended or was closed */
    boolean isClosed();
}
