package dev.phaseline.application.inprocess;

import dev.phaseline.application.contract.LiveStateCacheContract;
import dev.phaseline.application.port.LiveStateCache;

class InProcessLiveStateCacheContractTest extends LiveStateCacheContract {

    @Override
    protected LiveStateCache newCache() {
        return new InProcessLiveStateCache();
    }
}
