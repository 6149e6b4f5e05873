package dev.phaseline.application.inprocess;

import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.StoredEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus of a single node: {@link #publish} hands each event to every listener on the publishing thread.
 * Listeners must not block (the application's only enqueue). A listener that throws is logged and does not keep
 * the others from their events.
 */
public final class InProcessEventBus implements EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessEventBus.class);

    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

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
                    LOG.warn("an event listener failed on event {} of session {}", event.seq(), event.sessionId(), e);
                }
            }
        }
    }

    @Override
    public Registration subscribe(Listener listener) {
        if (closed) {
            throw new IllegalStateException("the bus is closed");
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        listeners.clear();
    }
}
