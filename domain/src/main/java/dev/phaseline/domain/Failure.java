package dev.phaseline.domain;

import java.util.regex.Pattern;

/**
 * Why a session failed.
 *
 * @param code    machine-readable, matches {@code [a-z][a-z0-9_.]{0,63}}, e.g. {@code worker_lost}
 * @param message human-readable, at most {@value Limits#MESSAGE_MAX} characters, may be {@code null}
 */
public record Failure(String code, String message) {

    /** The code the heartbeat sweeper fails a session with when its worker stopped reporting. */
    public static final String WORKER_LOST = "worker_lost";

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

    /** @throws ValidationException if the code or message is malformed */
    public Failure {
        Text.matching("code", code, CODE, "[a-z][a-z0-9_.]{0,63}");
        Text.optional("message", message, Limits.MESSAGE_MAX);
    }
}
