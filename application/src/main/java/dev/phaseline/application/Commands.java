package dev.phaseline.application;

import dev.phaseline.domain.Command;

/** Names and actions of {@link SessionCommand}s. */
final class Commands {

    private Commands() {
    }

    static Command nameOf(SessionCommand command) {
        if (command instanceof SessionCommand.Start) {
            return Command.START;
        } else if (command instanceof SessionCommand.ChangePhase) {
            return Command.CHANGE_PHASE;
        } else if (command instanceof SessionCommand.RecordProgress) {
            return Command.RECORD_PROGRESS;
        } else if (command instanceof SessionCommand.RequestClarification) {
            return Command.REQUEST_CLARIFICATION;
        } else if (command instanceof SessionCommand.Pause) {
            return Command.PAUSE;
        } else if (command instanceof SessionCommand.Resume) {
            return Command.RESUME;
        } else if (command instanceof SessionCommand.AnswerClarification) {
            return Command.ANSWER_CLARIFICATION;
        } else if (command instanceof SessionCommand.Complete) {
            return Command.COMPLETE;
        } else if (command instanceof SessionCommand.Fail) {
            return Command.FAIL;
        } else if (command instanceof SessionCommand.Kill) {
            return Command.KILL;
        } else if (command instanceof SessionCommand.Delete) {
            return Command.DELETE;
        } else if (command instanceof SessionCommand.AppendEvent) {
            return Command.APPEND_EVENT;
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    static Action actionOf(SessionCommand command) {
        return switch (nameOf(command)) {
            case START -> Action.START;
            case CHANGE_PHASE -> Action.CHANGE_PHASE;
            case RECORD_PROGRESS -> Action.RECORD_PROGRESS;
            case REQUEST_CLARIFICATION -> Action.REQUEST_CLARIFICATION;
            case PAUSE -> Action.PAUSE;
            case RESUME -> Action.RESUME;
            case ANSWER_CLARIFICATION -> Action.ANSWER;
            case COMPLETE -> Action.COMPLETE;
            case FAIL -> Action.FAIL;
            case KILL -> Action.KILL;
            case DELETE -> Action.DELETE;
            case APPEND_EVENT -> Action.APPEND_EVENT;
            case CREATE, HEARTBEAT -> throw new IllegalArgumentException("not a session command: " + command);
        };
    }
}
