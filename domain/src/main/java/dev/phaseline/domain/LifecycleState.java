package dev.phaseline.domain;

/**
 * The rows of the transition table: a {@link SessionStatus}, with {@code paused} split by its {@link PauseReason},
 * because the reason decides how a paused session may continue.
 */
public enum LifecycleState {
    /** Status {@code created}. */
    CREATED,
    /** Status {@code running}. */
    RUNNING,
    /** Status {@code paused}, reason {@code clarification_needed}. */
    PAUSED_FOR_CLARIFICATION,
    /** Status {@code paused}, reason {@code requested}. */
    PAUSED_ON_REQUEST,
    /** Status {@code completed}. */
    COMPLETED,
    /** Status {@code failed}. */
    FAILED,
    /** Status {@code killed}. */
    KILLED,
    /** Status {@code deleted}. */
    DELETED;

    /**
     * @param status the status
     * @param reason the pause reason; only read when the status is {@code paused}
     * @return the row of the table
     */
    public static LifecycleState of(SessionStatus status, PauseReason reason) {
        return switch (status) {
            case CREATED -> CREATED;
            case RUNNING -> RUNNING;
            case PAUSED -> reason == PauseReason.CLARIFICATION_NEEDED ? PAUSED_FOR_CLARIFICATION : PAUSED_ON_REQUEST;
            case COMPLETED -> COMPLETED;
            case FAILED -> FAILED;
            case KILLED -> KILLED;
            case DELETED -> DELETED;
        };
    }
}
