package dev.phaseline.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why and since when a session is paused, with the open questions when it waits for clarification.
 *
 * @param reason    why it is paused, never {@code null}
 * @param since     when it was paused, never {@code null}
 * @param questions the open questions: at least one for {@link PauseReason#CLARIFICATION_NEEDED}, none otherwise
 */
public record Pause(PauseReason reason, Instant since, List<Question> questions) {

    /** Checks that questions go with, and only with, a clarification pause. */
    public Pause {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
        questions = List.copyOf(questions);
        if ((reason == PauseReason.CLARIFICATION_NEEDED) == questions.isEmpty()) {
            throw new IllegalArgumentException("a clarification pause has questions, a requested pause has none");
        }
    }
}
