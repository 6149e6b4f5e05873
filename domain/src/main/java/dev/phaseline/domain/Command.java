package dev.phaseline.domain;

/** The commands of the session lifecycle, as named in errors and metrics ({@link #wireName()}). */
public enum Command {
    /** Create a session. */
    CREATE("create"),
    /** Start a created session. */
    START("start"),
    /** Move a running session to another phase. */
    CHANGE_PHASE("change_phase"),
    /** Record round, percentage and cost of a running session. */
    RECORD_PROGRESS("record_progress"),
    /** Pause a running session with questions for its owner. */
    REQUEST_CLARIFICATION("request_clarification"),
    /** Pause a running session on request. */
    PAUSE("pause"),
    /** Resume a session paused on request. */
    RESUME("resume"),
    /** Answer the open questions of a session paused for clarification. */
    ANSWER_CLARIFICATION("answer_clarification"),
    /** Complete a running session with a result. */
    COMPLETE("complete"),
    /** Fail an active session. */
    FAIL("fail"),
    /** Kill an active session. */
    KILL("kill"),
    /** Delete a session (killing it first when active). */
    DELETE("delete"),
    /** Append a custom event to a running or paused session. */
    APPEND_EVENT("append_event"),
    /** Report that the worker of a running session is alive. */
    HEARTBEAT("heartbeat");

    private final String wireName;

    Command(String wireName) {
        this.wireName = wireName;
    }

    /** @return the lowercase name used in errors, e.g. {@code complete} */
    public String wireName() {
        return wireName;
    }
}
