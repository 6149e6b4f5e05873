package dev.phaseline.application.port;

import dev.phaseline.domain.PhaselineException;

/**
 * The store or log cannot be reached or failed mid-operation: code {@code unavailable}. Whatever the operation was,
 * nothing of it is stored half-written; the caller may retry.
 */
public final class StoreUnavailableException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "unavailable";

    /**
     * @param message what was being done
     * @param cause   the technology's failure, kept for logs only
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(CODE, message, cause);
    }
}
