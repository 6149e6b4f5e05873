package dev.phaseline.application;

import dev.phaseline.application.port.SessionCursor;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Turns listing positions into opaque cursors and back. Decoding is strict, so a cursor that was not issued here is
 * a validation error long before any store sees it.
 */
final class CursorCodec {

    private static final String VERSION = "c1";

    private CursorCodec() {
    }

    static String encode(SessionCursor cursor) {
        String text = VERSION + ":" + cursor.createdAt().getEpochSecond() + ":" + cursor.createdAt().getNano() + ":"
                + cursor.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static SessionCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = text.split(":", -1);
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                throw invalid();
            }
            long seconds = Long.parseLong(parts[1]);
            long nanos = Long.parseLong(parts[2]);
            if (nanos < 0 || nanos > 999_999_999) {
                throw invalid();
            }
            return new SessionCursor(Instant.ofEpochSecond(seconds, nanos), SessionId.parse(parts[3]));
        } catch (IllegalArgumentException | java.time.DateTimeException | ValidationException e) {
            throw invalid();
        }
    }

    private static ValidationException invalid() {
        return ValidationException.of("cursor", "is not a cursor issued by a listing");
    }
}
