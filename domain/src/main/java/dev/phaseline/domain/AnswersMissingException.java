package dev.phaseline.domain;

import java.util.List;

/** Clarification answers that leave a required question unanswered: code {@code answers_missing}. */
public final class AnswersMissingException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "answers_missing";

    private final List<String> missing;

    /** @param missing the ids of the required questions left unanswered, at least one */
    public AnswersMissingException(List<String> missing) {
        super(CODE, "required questions are unanswered: " + String.join(", ", missing));
        this.missing = List.copyOf(missing);
    }

    /** @return the ids of the required questions left unanswered */
    public List<String> missing() {
        return missing;
    }
}
