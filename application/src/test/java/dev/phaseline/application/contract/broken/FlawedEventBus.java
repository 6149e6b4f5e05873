package dev.phaseline.application.contract.broken;

import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.StoredEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A single-node bus that works, except for one {@link Flaw}. */
final class FlawedEventBus implements EventBus {

    /** The one behaviour this bus lacks. */
    enum Flaw {
        /** A listener that throws stops the delivery of that event to the listeners after it. */
        LISTENER_FAILURE_STOPS_DELIVERY,
        /** Closing a registration does nothing. */
        REGISTRATION_NEVER_CLOSES
    }

    private final Flaw flaw;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    FlawedEventBus(Flaw flaw) {
        this.flaw = flaw;
    }

    @Override
    public void publish(List<StoredEvent> events) {
        if (closed) {
            return;
        }
        for (StoredEvent event : events) {
            for (Listener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    if (flaw == Flaw.LISTENER_FAILURE_STOPS_DELIVERY) {
                        break;
                    }
                }
            }
        }
    }

    @Override
    public Registration subscribe(Listener listener) {
        listeners.add(listener);
        return () -> {
            if (flaw != Flaw.REGISTRATION_NEVER_CLOSES) {
                listeners.remove(listener);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        listeners.clear();
    }
}
