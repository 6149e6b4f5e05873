package dev.phaseline.domain;

import static dev.phaseline.domain.LifecycleState.COMPLETED;
import static dev.phaseline.domain.LifecycleState.CREATED;
import static dev.phaseline.domain.LifecycleState.FAILED;
import static dev.phaseline.domain.LifecycleState.KILLED;
import static dev.phaseline.domain.LifecycleState.PAUSED_FOR_CLARIFICATION;
import static dev.phaseline.domain.LifecycleState.PAUSED_ON_REQUEST;
import static dev.phaseline.domain.LifecycleState.RUNNING;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which command is allowed in which state: the heart of the library, as data. {@link Command#CREATE} has no row
 * because it needs no session. Every pair not listed is illegal.
 */
public final class TransitionTable {

    private static final Map<Command, Set<LifecycleState>> ALLOWED_FROM = new EnumMap<>(Map.ofEntries(
            Map.entry(Command.START, EnumSet.of(CREATED)),
            Map.entry(Command.CHANGE_PHASE, EnumSet.of(RUNNING)),
            Map.entry(Command.RECORD_PROGRESS, EnumSet.of(RUNNING)),
            Map.entry(Command.REQUEST_CLARIFICATION, EnumSet.of(RUNNING)),
            Map.entry(Command.PAUSE, EnumSet.of(RUNNING)),
            Map.entry(Command.RESUME, EnumSet.of(PAUSED_ON_REQUEST)),
            Map.entry(Command.ANSWER_CLARIFICATION, EnumSet.of(PAUSED_FOR_CLARIFICATION)),
            // Not from a paused session: a worker that returns while its session waits must not end it.
            Map.entry(Command.COMPLETE, EnumSet.of(RUNNING)),
            Map.entry(Command.FAIL, EnumSet.of(CREATED, RUNNING, PAUSED_FOR_CLARIFICATION, PAUSED_ON_REQUEST)),
            Map.entry(Command.KILL, EnumSet.of(CREATED, RUNNING, PAUSED_FOR_CLARIFICATION, PAUSED_ON_REQUEST)),
            Map.entry(Command.DELETE, EnumSet.of(CREATED, RUNNING, PAUSED_FOR_CLARIFICATION, PAUSED_ON_REQUEST,
                    COMPLETED, FAILED, KILLED)),
            Map.entry(Command.APPEND_EVENT, EnumSet.of(RUNNING, PAUSED_FOR_CLARIFICATION, PAUSED_ON_REQUEST)),
            Map.entry(Command.HEARTBEAT, EnumSet.of(RUNNING))));

    private TransitionTable() {
    }

    /**
     * @param state   the current state
     * @param command a command other than {@link Command#CREATE}
     * @return whether the table allows the command in that state
     */
    public static boolean allows(LifecycleState state, Command command) {
        return ALLOWED_FROM.getOrDefault(command, Set.of()).contains(state);
    }

    /**
     * @param state the current state
     * @return the commands allowed in that state, in declaration order; unmodifiable
     */
    public static Set<Command> allowedIn(LifecycleState state) {
        Set<Command> allowed = EnumSet.noneOf(Command.class);
        ALLOWED_FROM.forEach((command, states) -> {
            if (states.contains(state)) {
                allowed.add(command);
            }
        });
        return Collections.unmodifiableSet(allowed);
    }
}
