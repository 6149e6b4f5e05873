package dev.phaseline.application;

import dev.phaseline.application.port.StoredEvent;

/**
 * Receives a subscription's events. Calls for one subscription never overlap and come in order; they run on the
 * application's delivery threads, so a listener should return promptly.
 */
public interface SubscriptionListener {

    /** @param event the next event */
    void onEvent(StoredEvent event);

    /**
     * The subscription ended by itself. Not called after {@link Subscription#close()}.
     *
     * @param end why
     */
    void onEnd(StreamEnd end);
}
