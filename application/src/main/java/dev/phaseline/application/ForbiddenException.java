package dev.phaseline.application;

import dev.phaseline.domain.PhaselineException;

/** The principal may see the session (or reach the function) but its roles lack the action: code {@code forbidden}. */
public final class ForbiddenException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "forbidden";

    /** @param message which action is refused */
    public ForbiddenException(String message) {
        super(CODE, message);
    }
}
