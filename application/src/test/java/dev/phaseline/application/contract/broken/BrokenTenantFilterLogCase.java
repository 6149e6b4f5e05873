package dev.phaseline.application.contract.broken;

import dev.phaseline.application.contract.EventLogContract;
import dev.phaseline.application.contract.StorageUnderTest;

/** The log contract run against a log whose feed ignores the tenant. */
public class BrokenTenantFilterLogCase extends EventLogContract {

    @Override
    protected StorageUnderTest newStorage() {
        FlawedSessionStore store = new FlawedSessionStore(FlawedSessionStore.Flaw.FEED_IGNORES_TENANT);
        return new StorageUnderTest(store, store);
    }
}
