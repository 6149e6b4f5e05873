package dev.phaseline.bootstrap;

import dev.phaseline.application.PhaselineCore;

/**
 * Something that works on sessions inside the Phaseline process through the same application API an embedder uses,
 * such as the demo worker. Phaseline starts it once the core runs and closes it before the core closes.
 */
@FunctionalInterface
public interface InProcessWorker {

    /**
     * @param core the running application
     * @return what stops the worker again; its {@code close()} returns once the worker issues no more commands
     * @throws Exception if the worker cannot start; startup then stops
     */
    AutoCloseable start(PhaselineCore core) throws Exception;
}
