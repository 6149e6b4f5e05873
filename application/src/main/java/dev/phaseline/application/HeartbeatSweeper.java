package dev.phaseline.application;

import dev.phaseline.application.port.SessionStore;
import dev.phaseline.domain.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails running sessions whose worker has not shown life for longer than the heartbeat timeout, with code
 * {@code worker_lost}, so that no session stays {@code running} forever after its worker died.
 */
final class HeartbeatSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatSweeper.class);
    private static final int BATCH = 100;
    private static final int MAX_BATCHES_PER_SWEEP = 50;

    private final SessionStore store;
    private final CommandService commands;
    private final Clock clock;
    private final Duration timeout;

    HeartbeatSweeper(SessionStore store, CommandService commands, Clock clock, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the heartbeat timeout must be positive");
        }
        this.store = store;
        this.commands = commands;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** @return how many sessions were failed */
    int sweepOnce() {
        Instant cutoff = clock.instant().minus(timeout);
        int failed = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
            List<Session> stale = store.findStale(cutoff, BATCH);
            int failedInBatch = 0;
            for (Session session : stale) {
                if (commands.failIfStale(session.id(), cutoff)) {
                    failedInBatch++;
                }
            }
            failed += failedInBatch;
            // Stop when the store has no more, or none of what it found could be failed (it moved on meanwhile).
            if (stale.size() < BATCH || failedInBatch == 0) {
                break;
            }
        }
        if (failed > 0) {
            LOG.info("failed {} running session(s) with no worker heartbeat since {}", failed, cutoff);
        }
        return failed;
    }
}
