package dev.phaseline.application.memory;

import dev.phaseline.application.contract.SessionStoreContract;
import dev.phaseline.application.contract.StorageUnderTest;

class InMemorySessionStoreContractTest extends SessionStoreContract {

    @Override
    protected StorageUnderTest newStorage() {
        InMemorySessionStore store = new InMemorySessionStore();
        return new StorageUnderTest(store, store.eventLog());
    }
}
