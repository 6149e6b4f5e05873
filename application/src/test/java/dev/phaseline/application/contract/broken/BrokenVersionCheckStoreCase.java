package dev.phaseline.application.contract.broken;

import dev.phaseline.application.contract.SessionStoreContract;
import dev.phaseline.application.contract.StorageUnderTest;

/** The store contract run against a store that never checks the expected version. */
public class BrokenVersionCheckStoreCase extends SessionStoreContract {

    @Override
    protected StorageUnderTest newStorage() {
        FlawedSessionStore store = new FlawedSessionStore(FlawedSessionStore.Flaw.IGNORES_VERSION);
        return new StorageUnderTest(store, store);
    }
}
