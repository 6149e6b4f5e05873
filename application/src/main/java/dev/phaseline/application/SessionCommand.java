package dev.phaseline.application;

import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.Question;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command on an existing session, as embedders and adapters pass it to {@link SessionCommands#execute}. Records
 * check their own shape; the state machine decides whether they are allowed now.
 */
public sealed interface SessionCommand {

    /** Start a created session. Owner or admin. */
    record Start() implements SessionCommand {
    }

    /**
     * Move a running session to another phase. Worker or admin.
     *
     * @param phase the new phase
     */
    record ChangePhase(Phase phase) implements SessionCommand {
        /** Checks presence. */
        public ChangePhase {
            Objects.requireNonNull(phase, "phase");
        }
    }

    /**
     * Record progress. Worker or admin.
     *
     * @param round        the new round, or {@code null} to keep it
     * @param percent      the new percentage, or {@code null} to keep it
     * @param costUsdDelta cost to add, or {@code null} for none
     */
    record RecordProgress(Integer round, Integer percent, BigDecimal costUsdDelta) implements SessionCommand {
    }

    /**
     * Pause a running session with questions for its owner. Worker or admin.
     *
     * @param questions the questions
     */
    record RequestClarification(List<Question> questions) implements SessionCommand {
        /** Copies the questions. */
        public RequestClarification {
            questions = List.copyOf(questions);
        }
    }

    /**
     * Pause a running session. Owner or admin.
     *
     * @param reason free text, or {@code null}
     */
    record Pause(String reason) implements SessionCommand {
    }

    /** Resume a session paused on request. Owner or admin. */
    record Resume() implements SessionCommand {
    }

    /**
     * Answer the open clarification questions. Owner or admin.
     *
     * @param answers answers by question id
     */
    record AnswerClarification(Map<String, String> answers) implements SessionCommand {
        /** Copies the answers. */
        public AnswerClarification {
            answers = Map.copyOf(answers);
        }
    }

    /**
     * Complete a running session. Worker or admin.
     *
     * @param result the result, or {@code null} for {@code {}}
     */
    record Complete(JsonValue.JsonObject result) implements SessionCommand {
    }

    /**
     * Fail an active session. Worker or admin.
     *
     * @param code    the failure code
     * @param message a message, or {@code null}
     */
    record Fail(String code, String message) implements SessionCommand {
    }

    /**
     * Kill an active session. Owner, support or admin.
     *
     * @param reason free text, or {@code null}
     */
    record Kill(String reason) implements SessionCommand {
    }

    /** Delete a session, killing it first when active. Owner or admin. */
    record Delete() implements SessionCommand {
    }

    /**
     * Append a custom event. Worker or admin.
     *
     * @param type the custom type
     * @param data the data, or {@code null} for {@code {}}
     */
    record AppendEvent(String type, JsonValue.JsonObject data) implements SessionCommand {
    }
}
