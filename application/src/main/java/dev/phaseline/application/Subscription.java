package dev.phaseline.application;

/** An open subscription. */
public interface Subscription extends AutoCloseable {

    /** Stops delivery. Idempotent; the listener gets no further call. */
    @Override
    void close();

    /** @return whether it has ended or was closed */
    boolean isClosed();

    /**
     * The listener can take events again: goes on with a replay that stopped because
     * {@link SubscriptionListener#ready()} answered {@code false}. Cheap and idempotent; any thread may call it.
     */
    void demand();
}
