package dev.phaseline.application.port;

import java.util.List;

/**
 * Fans committed events out to the subscribers of every node. Delivery is best effort: the durable
 * {@link EventLog} is the record, and subscribers fill any gap they notice from it. Events of one session are
 * delivered in the order they were published.
 *
 * <p>{@link #publish} may throw an unchecked exception when the bus cannot be reached; the application logs it and
 * never fails a committed command for it.
 */
public interface EventBus extends AutoCloseable {

    /**
     * Publishes committed events, in order.
     *
     * @param events events of one commit
     */
    void publish(List<StoredEvent> events);

    /**
     * Registers a listener for every event published on any node connected to the same bus.
     *
     * @param listener called on the bus's own thread; it must return quickly and never block
     * @return the registration, whose {@link Registration#close()} stops delivery
     */
    Registration subscribe(Listener listener);

    /** Stops delivery to every listener and releases the bus's resources. */
    @Override
    void close();

    /** Receives events from the bus. */
    interface Listener {

        /** @param event an event committed on some node */
        void onEvent(StoredEvent event);

        /**
         * The bus may have lost events (for example while its connection was down): listeners should fill any gap
         * from the durable log.
         */
        default void onResync() {
        }
    }

    /** A listener's registration. */
    interface Registration extends AutoCloseable {

        /** Stops delivery to the listener. Idempotent. */
        @Override
        void close();
    }
}
