package dev.phaseline.domain;

import java.util.regex.Pattern;

/** Checks shared by every text value of the domain. */
final class Text {

    private Text() {
    }

    /**
     * @param path  field path for the error
     * @param value the text, may be {@code null}
     * @param max   the largest allowed length in characters
     * @return the value, checked
     * @throws ValidationException if it is {@code null}, blank, too long or holds U+0000
     */
    static String required(String path, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ValidationException.of(path, "must not be blank");
        }
        return optional(path, value, max);
    }

    /**
     * @param path  field path for the error
     * @param value the text, may be {@code null}
     * @param max   the largest allowed length in characters
     * @return the value, checked, or {@code null}
     * @throws ValidationException if it is too long or holds U+0000
     */
    static String optional(String path, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw ValidationException.of(path, "must be at most " + max + " characters");
        }
        // PostgreSQL text and jsonb cannot hold U+0000; refusing it here keeps every store able to keep every value.
        if (value.indexOf('\0') >= 0) {
            throw ValidationException.of(path, "must not contain the NUL character");
        }
        return value;
    }

    /**
     * @param path    field path for the error
     * @param value   the text, may be {@code null}
     * @param pattern the pattern it must match in full
     * @param shape   the pattern as shown to users
     * @return the value, checked
     * @throws ValidationException if it is {@code null} or does not match
     */
    static String matching(String path, String value, Pattern pattern, String shape) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw ValidationException.of(path, "must match " + shape);
        }
        return value;
    }

    /**
     * Counts the bytes of the text in UTF-8 without a {@code Charset}, so the domain needs nothing beyond the core
     * JDK packages. The count equals {@code text.getBytes(StandardCharsets.UTF_8).length}, including its handling
     * of an unpaired surrogate, which the JDK encodes as the one-byte replacement {@code ?}.
     *
     * @param text the text, never {@code null}
     * @return its length in UTF-8 bytes
     */
    static int utf8Length(String text) {
        int bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
