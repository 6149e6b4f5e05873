package dev.phaseline.application;

import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.application.port.IdGenerator;
import dev.phaseline.application.port.SessionChange;
import dev.phaseline.application.port.SessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.application.port.VersionConflictException;
import dev.phaseline.domain.Command;
import dev.phaseline.domain.Failure;
import dev.phaseline.domain.PhaseOrder;
import dev.phaseline.domain.PhaselineException;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import dev.phaseline.domain.Transition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/** Runs commands: load from the store, authorize, decide with the domain, commit, propagate; retry on conflict. */
final class CommandService implements SessionCommands {

    /** Attempts before a command gives up under contention; conflicting commands end far earlier. */
    static final int MAX_ATTEMPTS = 64;

    private final SessionStore store;
    private final Propagation propagation;
    private final AccessPolicy access;
    private final Clock clock;
    private final IdGenerator ids;
    private final Map<String, PhaseOrder> phaseOrders;
    private final ApplicationMetrics metrics;

    CommandService(SessionStore store, Propagation propagation, AccessPolicy access, Clock clock, IdGenerator ids,
            Map<String, PhaseOrder> phaseOrders, ApplicationMetrics metrics) {
        this.store = store;
        this.propagation = propagation;
        this.access = access;
        this.clock = clock;
        this.ids = ids;
        this.phaseOrders = Map.copyOf(phaseOrders);
        this.metrics = metrics;
    }

    @Override
    public CommandResult create(Principal principal, CreateSession command) {
        try {
            access.requireCreate(principal);
            for (int attempt = 1; ; attempt++) {
                Transition created = Session.create(ids.next(), principal.tenantId(), principal.userId(),
                        command.workflow(), command.title(), command.input(), now());
                try {
                    CommandResult result = commit(created, 0);
                    metrics.commandExecuted(Command.CREATE, "ok");
                    return result;
                } catch (VersionConflictException idTaken) {
                    if (attempt >= 3) {
                        throw new IllegalStateException("the id generator keeps returning ids in use", idTaken);
                    }
                }
            }
        } catch (PhaselineException e) {
            metrics.commandExecuted(Command.CREATE, e.code());
            throw e;
        }
    }

    @Override
    public CommandResult execute(Principal principal, SessionId id, SessionCommand command) {
        return run(principal, id, command, null);
    }

    @Override
    public CommandResult execute(Principal principal, SessionId id, SessionCommand command, long expectedVersion) {
        return run(principal, id, command, expectedVersion);
    }

    @Override
    public void heartbeat(Principal principal, SessionId id) {
        try {
            Session current = load(id);
            access.require(principal, current, Action.HEARTBEAT);
            Instant at = now();
            current.heartbeat(at);
            if (!store.recordHeartbeat(id, at)) {
                // It stopped running between the read and the write: report the state it is in now.
                load(id).heartbeat(at);
            }
            metrics.commandExecuted(Command.HEARTBEAT, "ok");
        } catch (PhaselineException e) {
            metrics.commandExecuted(Command.HEARTBEAT, e.code());
            throw e;
        }
    }

    /**
     * Fails a session whose worker stopped reporting, unless it moved on or showed life since it was found stale.
     *
     * @return whether it was failed
     */
    boolean failIfStale(SessionId id, Instant cutoff) {
        Session current = store.find(id).orElse(null);
        if (current == null || current.status() != SessionStatus.RUNNING
                || !isStale(current, cutoff)) {
            return false;
        }
        Transition failed = current.fail(Failure.WORKER_LOST,
                "no heartbeat from the worker since " + lastSignOfLife(current), now());
        try {
            commit(failed, current.version());
            metrics.commandExecuted(Command.FAIL, "ok");
            return true;
        } catch (VersionConflictException movedOn) {
            return false;
        }
    }

    private static boolean isStale(Session session, Instant cutoff) {
        Instant last = lastSignOfLife(session);
        return last == null || last.isBefore(cutoff);
    }

    private static Instant lastSignOfLife(Session session) {
        return session.lastHeartbeatAt() != null ? session.lastHeartbeatAt() : session.startedAt();
    }

    private CommandResult run(Principal principal, SessionId id, SessionCommand command, Long expectedVersion) {
        Command name = Commands.nameOf(command);
        try {
            CommandResult result = decideAndCommit(principal, id, command, expectedVersion);
            metrics.commandExecuted(name, "ok");
            return result;
        } catch (PhaselineException e) {
            metrics.commandExecuted(name, e.code());
            throw e;
        }
    }

    private CommandResult decideAndCommit(Principal principal, SessionId id, SessionCommand command,
            Long expectedVersion) {
        Action action = Commands.actionOf(command);
        for (int attempt = 1; ; attempt++) {
            Session current = load(id);
            access.require(principal, current, action);
            if (expectedVersion != null && current.version() != expectedVersion) {
                throw new VersionMismatchException(id, expectedVersion, current.version());
            }
            Transition transition = apply(command, current, principal);
            try {
                return commit(transition, current.version());
            } catch (VersionConflictException lostRace) {
                if (expectedVersion != null) {
                    long now = store.find(id).map(Session::version).orElse(current.version());
                    throw new VersionMismatchException(id, expectedVersion, now);
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new ContentionException(id, attempt);
                }
                // Spread retries of racing commands so they do not collide again in lockstep.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000, 50_000L * attempt));
            }
        }
    }

    private Transition apply(SessionCommand command, Session session, Principal principal) {
        Instant at = now();
        if (command instanceof SessionCommand.Start) {
            return session.start(at);
        } else if (command instanceof SessionCommand.ChangePhase c) {
            return session.changePhase(c.phase(), phaseOrders.getOrDefault(session.workflow(), PhaseOrder.ANY), at);
        } else if (command instanceof SessionCommand.RecordProgress c) {
            return session.recordProgress(c.round(), c.percent(), c.costUsdDelta(), at);
        } else if (command instanceof SessionCommand.RequestClarification c) {
            return session.requestClarification(c.questions(), at);
        } else if (command instanceof SessionCommand.Pause c) {
            return session.pause(c.reason(), at);
        } else if (command instanceof SessionCommand.Resume) {
            return session.resume(at);
        } else if (command instanceof SessionCommand.AnswerClarification c) {
            return session.answerClarification(c.answers(), at);
        } else if (command instanceof SessionCommand.Complete c) {
            return session.complete(c.result(), at);
        } else if (command instanceof SessionCommand.Fail c) {
            return session.fail(c.code(), c.message(), at);
        } else if (command instanceof SessionCommand.Kill c) {
            return session.kill(principal.userId(), c.reason(), at);
        } else if (command instanceof SessionCommand.Delete) {
            return session.delete(principal.userId(), at);
        } else if (command instanceof SessionCommand.AppendEvent c) {
            return session.appendEvent(c.type(), c.data(), at);
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private CommandResult commit(Transition transition, long expectedVersion) {
        List<StoredEvent> stored = store.commit(SessionChange.of(transition, expectedVersion));
        propagation.committed(transition.session(), stored);
        return new CommandResult(transition.session(), stored);
    }

    private Session load(SessionId id) {
        return store.find(id).orElseThrow(() -> new SessionNotFoundException(id));
    }

    /** Stores keep microseconds (PostgreSQL does); deciding on the same precision keeps a read equal to a write. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
