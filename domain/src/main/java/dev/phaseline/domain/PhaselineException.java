package dev.phaseline.domain;

import java.util.Objects;

/**
 * Base of every error Phaseline reports to its callers. Each error carries a stable, machine-readable
 * {@link #code()} (for example {@code illegal_transition}); adapters map codes to their own protocol in one place.
 */
public abstract class PhaselineException extends RuntimeException {

    private final String code;

    /**
     * @param code    stable error code, never {@code null}
     * @param message human-readable explanation, never {@code null}
     */
    protected PhaselineException(String code, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code    stable error code, never {@code null}
     * @param message human-readable explanation, never {@code null}
     * @param cause   the underlying failure, may be {@code null}
     */
    protected PhaselineException(String code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the stable error code, e.g. {@code validation_failed} */
    public String code() {
        return code;
    }
}
