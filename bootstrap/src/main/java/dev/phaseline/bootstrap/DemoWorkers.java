package dev.phaseline.bootstrap;

import java.util.Optional;

/**
 * The seam to the demo worker ({@code DemoWorker}, workflow {@code demo}), which is developed on its own branch.
 * Until it is merged this build has none, and the server says so at startup when {@code PHASELINE_DEMO_WORKER} is
 * true.
 */
final class DemoWorkers {

    private static final InProcessWorker DEMO_WORKER = core -> {
        DemoWorker worker = new DemoWorker(core);
        worker.start();
        return worker::close;
    };

    private DemoWorkers() {
    }

    /** @return the demo worker, if this build has one */
    static Optional<InProcessWorker> demo() {
        return Optional.ofNullable(DEMO_WORKER);
    }
}
