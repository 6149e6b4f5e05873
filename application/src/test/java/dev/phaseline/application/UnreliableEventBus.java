package dev.phaseline.application;

import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bus that misbehaves in one chosen way, the ways a network bus may: it loses messages, delivers them out of order
 * or twice, or cannot be reached at all. It can ask its listeners to resync, as a bus does after a reconnect.
 */
final class UnreliableEventBus implements EventBus {

    enum Fault {
        /** Loses every third event, but never a terminal one (nothing later would reveal the gap). */
        DROPS_EVERY_THIRD,
        /** Holds back every other event and delivers it after the next one. */
        SWAPS_NEIGHBOURS,
        /** Delivers every event twice. */
        DUPLICATES,
        /** Delivers nothing. */
        LOSES_EVERYTHING,
        /** Throws on every publish. */
        THROWS
    }

    private final Fault fault;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger published = new AtomicInteger();
    private StoredEvent held;

    UnreliableEventBus(Fault fault) {
        this.fault = fault;
    }

    @Override
    public synchronized void publish(List<StoredEvent> events) {
        if (fault == Fault.THROWS) {
            published.addAndGet(events.size());
            throw new IllegalStateException("bus unreachable");
        }
        for (StoredEvent event : events) {
            int n = published.incrementAndGet();
            switch (fault) {
                case DROPS_EVERY_THIRD -> {
                    if (n % 3 != 0 || event.isTerminal()) {
                        deliver(event);
                    }
                }
                case SWAPS_NEIGHBOURS -> {
                    if (held == null && !event.isTerminal()) {
                        held = event;
                    } else {
                        deliver(event);
                        releaseHeld();
                    }
                }
                case DUPLICATES -> {
                    deliver(event);
                    deliver(event);
                }
                case LOSES_EVERYTHING -> {
                }
                default -> throw new IllegalStateException("unhandled fault " + fault);
            }
        }
    }

    /** @return how many events the application handed to the bus */
    int published() {
        return published.get();
    }

    /** Tells every listener that events may have been lost, as after a reconnect. */
    void resync() {
        listeners.forEach(Listener::onResync);
    }

    private synchronized void releaseHeld() {
        if (held != null) {
            StoredEvent event = held;
            held = null;
            deliver(event);
        }
    }

    private void deliver(StoredEvent event) {
        for (Listener listener : new ArrayList<>(listeners)) {
            listener.onEvent(event);
        }
    }

    @Override
    public Registration subscribe(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
