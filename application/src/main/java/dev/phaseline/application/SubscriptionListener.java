package dev.phaseline.application;

import dev.phaseline.application.port.StoredEvent;

/**
 * Receives a subscription's events. Calls for one subscription never overlap and come in order; they run on the
 * application's delivery threads (straight from its fan-out, see {@link #nonBlocking()}), so a listener should return
 * promptly.
 */
public interface SubscriptionListener {

    /** @param event the next event */
    void onEvent(StoredEvent event);

    /**
     * Whether the listener can take another replayed event now. A replay from the log (at the start, or to fill a
     * gap) stops while this answers {@code false} and goes on after {@link Subscription#demand()}, so a long backlog
     * is delivered at the listener's pace. Live events do not ask: a listener that falls behind them by more than
     * its buffer is ended with {@link StreamEnd.Reason#OVERFLOW}.
     *
     * @return {@code true} (the default) if it can take another event
     */
    default boolean ready() {
        return true;
    }

    /**
     * Whether {@link #onEvent} and {@link #onEnd} never block and return at once (say, they only queue the event for
     * a non-blocking write). Such a listener gets a live event straight from the application's fan-out, which walks
     * the subscribers of the session in one pass, with no task of its own per event. Any other listener gets
     * its events from a task on the delivery executor, where blocking holds up only itself. A listener that answers
     * {@code true} and then blocks delays the live events of the subscribers that share its fan-out lane.
     *
     * @return {@code false} (the default) if a call may block
     */
    default boolean nonBlocking() {
        return false;
    }

    /**
     * The subscription ended by itself. Not called after {@link Subscription#close()}.
     *
     * @param end why
     */
    void onEnd(StreamEnd end);
}
