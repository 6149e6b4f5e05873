package dev.phaseline.application.contract.broken;

import dev.phaseline.application.contract.EventLogContract;
import dev.phaseline.application.contract.StorageUnderTest;

/** The log contract run against a log whose feed head is a stub that always answers 0. */
public class BrokenFeedHeadLogCase extends EventLogContract {

    @Override
    protected StorageUnderTest newStorage() {
        FlawedSessionStore store = new FlawedSessionStore(FlawedSessionStore.Flaw.HEAD_IS_A_STUB);
        return new StorageUnderTest(store, store);
    }
}
