package dev.phaseline.application.contract.broken;

import dev.phaseline.application.contract.EventBusContract;
import dev.phaseline.application.port.EventBus;

/** The bus contract run against a bus whose registrations never close. */
public class BrokenRegistrationBusCase extends EventBusContract {

    private final FlawedEventBus bus = new FlawedEventBus(FlawedEventBus.Flaw.REGISTRATION_NEVER_CLOSES);

    @Override
    protected EventBus newNode() {
        return bus;
    }
}
