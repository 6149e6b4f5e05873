package dev.phaseline.application.inprocess;

import dev.phaseline.application.contract.EventBusContract;
import dev.phaseline.application.port.EventBus;

/** A single node is its own medium: every "node" of a test is the same bus. */
class InProcessEventBusContractTest extends EventBusContract {

    private final InProcessEventBus bus = new InProcessEventBus();

    @Override
    protected EventBus newNode() {
        return bus;
    }
}
