package dev.phaseline.application.memory;

import dev.phaseline.application.contract.EventLogContract;
import dev.phaseline.application.contract.StorageUnderTest;

class InMemoryEventLogContractTest extends EventLogContract {

    @Override
    protected StorageUnderTest newStorage() {
        InMemorySessionStore store = new InMemorySessionStore();
        return new StorageUnderTest(store, store.eventLog());
    }
}
