package dev.phaseline.domain;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The state machine forbids the command now: code {@code illegal_transition}. Carries the current status, the
 * attempted command and the commands allowed now, so that callers can tell users what they may do instead.
 */
public class IllegalTransitionException extends PhaselineException {

    /** Code of this error. */
    public static final String CODE = "illegal_transition";

    private final SessionStatus currentStatus;
    private final Command attempted;
    private final Set<Command> allowed;

    /**
     * @param currentStatus the status of the session, never {@code null}
     * @param attempted     the refused command, never {@code null}
     * @param allowed       the commands allowed now, never {@code null}
     */
    public IllegalTransitionException(SessionStatus currentStatus, Command attempted, Set<Command> allowed) {
        this(currentStatus, attempted, allowed, "'" + attempted.wireName() + "' is not allowed while the session is "
                + currentStatus.wireName() + "; allowed now: " + names(allowed));
    }

    /**
     * @param currentStatus the status of the session, never {@code null}
     * @param attempted     the refused command, never {@code null}
     * @param allowed       the commands allowed now, never {@code null}
     * @param message       the explanation
     */
    protected IllegalTransitionException(SessionStatus currentStatus, Command attempted, Set<Command> allowed,
            String message) {
        super(CODE, message);
        this.currentStatus = Objects.requireNonNull(currentStatus, "currentStatus");
        this.attempted = Objects.requireNonNull(attempted, "attempted");
        this.allowed = Set.copyOf(allowed);
    }

    /** @return the status the session had when the command was refused */
    public SessionStatus currentStatus() {
        return currentStatus;
    }

    /** @return the refused command */
    public Command attempted() {
        return attempted;
    }

    /** @return the commands allowed in the session's current state */
    public Set<Command> allowed() {
        return allowed;
    }

    private static String names(Set<Command> commands) {
        return commands.isEmpty() ? "none" : commands.stream().sorted().map(Command::wireName)
                .collect(Collectors.joining(", "));
    }
}
