package dev.phaseline.domain;

import java.util.List;
import java.util.Set;

/**
 * A phase change that the workflow's declared {@link PhaseOrder} does not allow. It is an illegal transition
 * (code {@code illegal_transition}) whose message names the phases allowed next.
 */
public final class PhaseOrderViolationException extends IllegalTransitionException {

    /**
     * @param currentStatus the status of the session
     * @param allowed       the commands allowed now
     * @param from          the current phase, or {@code null}
     * @param to            the refused phase
     * @param next          the phases the order allows next
     */
    public PhaseOrderViolationException(SessionStatus currentStatus, Set<Command> allowed, Phase from, Phase to,
            List<Phase> next) {
        super(currentStatus, Command.CHANGE_PHASE, allowed, "phase '" + to + "' may not follow "
                + (from == null ? "the start" : "'" + from + "'") + " in this workflow; allowed next: " + next);
    }
}
