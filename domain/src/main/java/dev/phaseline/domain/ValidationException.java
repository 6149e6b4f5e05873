package dev.phaseline.domain;

import java.util.List;
import java.util.Objects;

/**
 * A command or value was malformed: code {@code validation_failed}. {@link #errors()} names every offending field
 * by its path (for example {@code input}, {@code questions[2].id}); {@link #unknown()} lists clarification answer
 * ids that name no open question.
 */
public final class ValidationException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "validation_failed";

    private final List<FieldError> errors;
    private final List<String> unknown;

    /**
     * One offending field.
     *
     * @param path    the field path, e.g. {@code questions[0].text}; never {@code null}
     * @param message what is wrong with it; never {@code null}
     */
    public record FieldError(String path, String message) {
        /** Validates that both parts are present. */
        public FieldError {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * @param errors  the offending fields, at least one
     * @param unknown answer ids that name no open question; empty when not about answers
     */
    public ValidationException(List<FieldError> errors, List<String> unknown) {
        super(CODE, describe(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a validation error names at least one field");
        }
        this.errors = List.copyOf(errors);
        this.unknown = List.copyOf(unknown);
    }

    /**
     * @param path    the offending field path
     * @param message what is wrong with it
     * @return an error about one field
     */
    public static ValidationException of(String path, String message) {
        return new ValidationException(List.of(new FieldError(path, message)), List.of());
    }

    /** @return the offending fields, never empty */
    public List<FieldError> errors() {
        return errors;
    }

    /** @return clarification answer ids that name no open question; empty otherwise */
    public List<String> unknown() {
        return unknown;
    }

    private static String describe(List<FieldError> errors) {
        StringBuilder text = new StringBuilder();
        for (FieldError error : errors) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(error.path()).append(": ").append(error.message());
        }
        return text.toString();
    }
}
