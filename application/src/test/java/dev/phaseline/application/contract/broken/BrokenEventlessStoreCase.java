package dev.phaseline.application.contract.broken;

import dev.phaseline.application.contract.SessionStoreContract;
import dev.phaseline.application.contract.StorageUnderTest;

/** The store contract run against a store whose commit keeps the state but drops its events. */
public class BrokenEventlessStoreCase extends SessionStoreContract {

    @Override
    protected StorageUnderTest newStorage() {
        FlawedSessionStore store = new FlawedSessionStore(FlawedSessionStore.Flaw.FORGETS_EVENTS);
        return new StorageUnderTest(store, store);
    }
}
