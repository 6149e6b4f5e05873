package dev.phaseline.application;

import java.util.Locale;
import java.util.Optional;

/** What a principal may do; see the role table of the HTTP API. */
public enum Role {
    /** Creates sessions; reads, streams and steers its own. */
    USER,
    /** Reads, lists, streams and kills every session of its tenant; reads the tenant feed. */
    SUPPORT,
    /** Reads and drives (phase, progress, questions, events, complete, fail, heartbeat) every session of its tenant. */
    WORKER,
    /** Everything, in every tenant. */
    ADMIN;

    /** @return the lowercase name used in tokens, e.g. {@code support} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a role name from a token
     * @return the role, or empty for a name Phaseline does not know (ignored, never an error)
     */
    public static Optional<Role> fromWireName(String text) {
        for (Role role : values()) {
            if (role.wireName().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
