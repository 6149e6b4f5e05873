package dev.phaseline.application.contract.broken;

import dev.phaseline.application.contract.EventBusContract;
import dev.phaseline.application.port.EventBus;

/** The bus contract run against a bus where one throwing listener keeps the later ones from an event. */
public class BrokenListenerIsolationBusCase extends EventBusContract {

    private final FlawedEventBus bus = new FlawedEventBus(FlawedEventBus.Flaw.LISTENER_FAILURE_STOPS_DELIVERY);

    @Override
    protected EventBus newNode() {
        return bus;
    }
}
