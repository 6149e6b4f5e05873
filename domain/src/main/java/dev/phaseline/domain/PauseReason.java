package dev.phaseline.domain;

import java.util.Locale;

/** Why a session is paused. The reason decides how it may continue. */
public enum PauseReason {
    /** A worker asked questions; only answering them continues the session. */
    CLARIFICATION_NEEDED,
    /** Someone asked it to pause; {@code resume} continues it. */
    REQUESTED;

    /** @return the lowercase name used in JSON and storage, e.g. {@code clarification_needed} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a lowercase reason name
     * @return the reason
     * @throws ValidationException (path {@code reason}) for an unknown name
     */
    public static PauseReason fromWireName(String text) {
        for (PauseReason reason : values()) {
            if (reason.wireName().equals(text)) {
                return reason;
            }
        }
        throw ValidationException.of("reason", "unknown pause reason '" + text + "'");
    }
}
