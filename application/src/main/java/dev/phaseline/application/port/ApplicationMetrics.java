package dev.phaseline.application.port;

import dev.phaseline.domain.Command;

/**
 * What the application reports for monitoring. Implementations must be cheap and never throw; {@link #NONE}
 * discards everything.
 */
public interface ApplicationMetrics {

    /** Discards every measurement. */
    ApplicationMetrics NONE = new ApplicationMetrics() {
    };

    /**
     * @param command the command
     * @param outcome {@code ok}, or the error code it ended with (e.g. {@code illegal_transition})
     */
    default void commandExecuted(Command command, String outcome) {
    }

    /** @param hit whether a read found the current state in the live-state cache */
    default void cacheRead(boolean hit) {
    }

    /** @param port {@code cache} or {@code bus}: a call to it failed and was skipped */
    default void portFailed(String port) {
    }

    /** A subscription opened. */
    default void subscriptionOpened() {
    }

    /**
     * The event bus reported that it may have lost events (for example after reconnecting): streams caught up from
     * the log and the versions this node knew were forgotten.
     */
    default void busResynced() {
    }

    /**
     * A subscription ended.
     *
     * @param reason why, e.g. {@code terminal}, {@code overflow}, {@code closed}
     */
    default void subscriptionEnded(String reason) {
    }
}
