package dev.phaseline.application.contract;

import dev.phaseline.application.port.EventLog;
import dev.phaseline.application.port.SessionStore;
import java.util.Objects;

/**
 * A store and the log it appends to, as a contract suite receives them from the implementation under test.
 *
 * @param store the store, never {@code null}
 * @param log   the log that {@code store}'s commits append to, never {@code null}
 */
public record StorageUnderTest(SessionStore store, EventLog log) {

    /** Checks presence. */
    public StorageUnderTest {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(log, "log");
    }
}
