package dev.phaseline.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Keeps one failing port from flooding the log: the first failure of an outage is logged in full, with its stack
 * trace; further failures only as one summary line per {@link #SUMMARY_INTERVAL} at most; and the port working again
 * once more. Counting every failure is the metrics' job, not this one's. Safe for concurrent callers; a call while
 * the port works costs one volatile read.
 */
final class OutageLog {

    static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(1);

    private final String port;
    private final Logger log;
    private final Clock clock;
    private volatile boolean failing;
    private Instant since;
    private Instant lastLogged;
    private long failures;

    OutageLog(String port, Logger log, Clock clock) {
        this.port = port;
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param message what could not be done, an SLF4J pattern with {@code args}; logged only for an outage's first
     *                failure
     */
    synchronized void failed(RuntimeException failure, String message, Object... args) {
        Instant now = clock.instant();
        if (!failing) {
            failing = true;
            since = now;
            lastLogged = now;
            failures = 1;
            Object[] withFailure = new Object[args.length + 1];
            System.arraycopy(args, 0, withFailure, 0, args.length);
            withFailure[args.length] = failure;
            log.warn(message + " (further failures of the " + port + " are summarised at most once a minute until it"
                    + " works again)", withFailure);
            return;
        }
        failures++;
        if (Duration.between(lastLogged, now).compareTo(SUMMARY_INTERVAL) >= 0) {
            lastLogged = now;
            log.warn("{} still failing: {} failures since {}; the latest: {}", port, failures, since,
                    failure.toString());
        }
    }

    void succeeded() {
        if (failing) {
            recovered();
        }
    }

    private synchronized void recovered() {
        if (failing) {
            failing = false;
            log.info("{} works again after {} failures since {}", port, failures, since);
        }
    }
}
