package dev.phaseline.domain;

/**
 * {@code resume} on a session paused for clarification: code {@code answers_required}. Only answering the open
 * questions continues such a session.
 */
public final class AnswersRequiredException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "answers_required";

    /** Creates the error. */
    public AnswersRequiredException() {
        super(CODE, "the session waits for answers to its clarification questions; answer them instead of resuming");
    }
}
