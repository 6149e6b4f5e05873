package dev.phaseline.application;

/** What a principal does to a session, as the role table grants it. */
enum Action {
    READ,
    STREAM,
    START,
    PAUSE,
    RESUME,
    ANSWER,
    KILL,
    DELETE,
    CHANGE_PHASE,
    RECORD_PROGRESS,
    REQUEST_CLARIFICATION,
    APPEND_EVENT,
    COMPLETE,
    FAIL,
    HEARTBEAT;

    String describe() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
