package dev.phaseline.domain;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identity of a session. Ids from outside are normalised once, here: {@link #parse(String)} accepts a UUID in any
 * letter case and every id compares, hashes and prints in lowercase, so {@code "ABC…"} and {@code "abc…"} address
 * the same session and the same subscribers.
 *
 * @param value the UUID, never {@code null}
 */
public record SessionId(UUID value) {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Checks that the UUID is present. */
    public SessionId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Parses the canonical 8-4-4-4-12 form, in any letter case. Unlike {@link UUID#fromString(String)} it refuses
     * shortened forms such as {@code 1-2-3-4-5}, which would otherwise alias real ids.
     *
     * @param text the id as received, may be {@code null}
     * @return the id
     * @throws ValidationException (path {@code id}) if the text is not a canonical UUID
     */
    public static SessionId parse(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw ValidationException.of("id", "must be a UUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        }
        return new SessionId(UUID.fromString(text));
    }

    /** @return the id in lowercase canonical form */
    @Override
    public String toString() {
        return value.toString();
    }
}
