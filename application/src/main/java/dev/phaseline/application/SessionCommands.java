package dev.phaseline.application;

import dev.phaseline.domain.AnswersMissingException;
import dev.phaseline.domain.AnswersRequiredException;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.ValidationException;
import dev.phaseline.application.port.StoreUnavailableException;

/**
 * Changes sessions. Every command decides on the state in the store, never on a cache. When another command
 * commits first, it reloads, checks legality again and retries, so a caller sees success or a domain error, never
 * a raw conflict — unless it passed an expected version, which then yields {@link VersionMismatchException}.
 * After the commit the live-state cache is written through and the events are published; a failure of either is
 * logged and never fails the command. A store failure always does.
 *
 * <p>Every method may throw {@link SessionNotFoundException} (no such session, or one the principal may not
 * see), {@link ForbiddenException} (visible, but the principal's roles lack the action),
 * {@link ValidationException}, {@link StoreUnavailableException} and {@link ContentionException}.
 */
public interface SessionCommands {

    /**
     * Creates a session owned by the principal, in its tenant.
     *
     * @param principal who creates it; needs role user or admin
     * @param command   what to create
     * @return the created session and its {@code session.created} event
     */
    CommandResult create(Principal principal, CreateSession command);

    /**
     * Applies a command to the current stored state.
     *
     * @param principal who acts
     * @param id        the session
     * @param command   the command
     * @return the new session and the stored events
     * @throws IllegalTransitionException if the state machine forbids the command now
     * @throws AnswersRequiredException   on resume of a session that waits for clarification answers
     * @throws AnswersMissingException    if clarification answers leave a required question open
     */
    CommandResult execute(Principal principal, SessionId id, SessionCommand command);

    /**
     * Applies a command only if the session is still at the expected version.
     *
     * @param principal       who acts
     * @param id              the session
     * @param command         the command
     * @param expectedVersion the version the caller saw
     * @return the new session and the stored events
     * @throws VersionMismatchException   if the stored version differs, before or during the command
     * @throws IllegalTransitionException if the state machine forbids the command now
     */
    CommandResult execute(Principal principal, SessionId id, SessionCommand command, long expectedVersion);

    /**
     * Reports that the worker of a running session is alive: only {@code lastHeartbeatAt} moves.
     *
     * @param principal who reports; needs role worker or admin
     * @param id        the session
     * @throws IllegalTransitionException unless the session is running
     */
    void heartbeat(Principal principal, SessionId id);
}
