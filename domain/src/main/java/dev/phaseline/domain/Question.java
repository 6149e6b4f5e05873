package dev.phaseline.domain;

import java.util.regex.Pattern;

/**
 * A clarification question a worker asks.
 *
 * @param id       unique within its request; matches {@code [A-Za-z0-9_.-]{1,64}}
 * @param text     the question, 1–{@value Limits#QUESTION_TEXT_MAX} characters
 * @param required whether the session may only continue once it is answered
 */
public record Question(String id, String text, boolean required) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** @throws ValidationException if the id or the text is malformed */
    public Question {
        Text.matching("id", id, ID, "[A-Za-z0-9_.-]{1,64}");
        Text.required("text", text, Limits.QUESTION_TEXT_MAX);
    }
}
