package dev.phaseline.domain;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * How far a session has come.
 *
 * @param round   the current round, {@code >= 0}
 * @param percent 0–100, or {@code null} when unknown
 * @param costUsd the cost so far in US dollars, {@code >= 0}, never {@code null}
 */
public record Progress(int round, Integer percent, BigDecimal costUsd) {

    /** No round, no percentage, no cost. */
    public static final Progress NONE = new Progress(0, null, BigDecimal.ZERO);

    /** Checks the ranges. */
    public Progress {
        Objects.requireNonNull(costUsd, "costUsd");
        if (round < 0) {
            throw ValidationException.of("round", "must be >= 0");
        }
        if (percent != null && (percent < 0 || percent > 100)) {
            throw ValidationException.of("percent", "must be between 0 and 100");
        }
        if (costUsd.signum() < 0) {
            throw ValidationException.of("costUsd", "must be >= 0");
        }
    }
}
