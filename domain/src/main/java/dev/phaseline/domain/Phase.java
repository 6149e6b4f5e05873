package dev.phaseline.domain;

import java.util.regex.Pattern;

/**
 * A host-defined phase name such as {@code identify_gaps}.
 *
 * @param name matches {@code [a-z][a-z0-9_]{0,63}}
 */
public record Phase(String name) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** @throws ValidationException (path {@code phase}) if the name does not match the pattern */
    public Phase {
        Text.matching("phase", name, NAME, "[a-z][a-z0-9_]{0,63}");
    }

    @Override
    public String toString() {
        return name;
    }
}
