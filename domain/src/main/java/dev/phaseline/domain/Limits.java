package dev.phaseline.domain;

/** The documented size limits of session values. Sizes of JSON values are counted in UTF-8 bytes of compact JSON. */
public final class Limits {

    /** Longest title, in characters. */
    public static final int TITLE_MAX = 200;
    /** Longest workflow name, in characters. */
    public static final int WORKFLOW_MAX = 64;
    /** Largest {@code input} or {@code result}: 256 KiB. */
    public static final int INPUT_BYTES_MAX = 256 * 1024;
    /** Largest custom event {@code data}: 64 KiB. */
    public static final int EVENT_DATA_BYTES_MAX = 64 * 1024;
    /** Most questions in one clarification request. */
    public static final int QUESTIONS_MAX = 20;
    /** Longest question text, in characters. */
    public static final int QUESTION_TEXT_MAX = 2_000;
    /** Longest clarification answer, in characters. */
    public static final int ANSWER_MAX = 10_000;
    /** Longest free-text reason or failure message, in characters. */
    public static final int MESSAGE_MAX = 2_000;
    /** Longest tenant, user or actor id, in characters. */
    public static final int PRINCIPAL_ID_MAX = 128;

    private Limits() {
    }
}
