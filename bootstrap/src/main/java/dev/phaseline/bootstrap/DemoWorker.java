package dev.phaseline.bootstrap;

import dev.phaseline.application.ForbiddenException;
import dev.phaseline.application.ListSessions;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.application.SessionNotFoundException;
import dev.phaseline.application.SessionPage;
import dev.phaseline.application.StreamEnd;
import dev.phaseline.application.Subscription;
import dev.phaseline.application.SubscriptionListener;
import dev.phaseline.application.VersionMismatchException;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.PhaseOrderViolationException;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process worker for sessions of workflow {@code demo}, so that a fresh server shows the whole lifecycle.
 * It uses only what an embedder uses: the core's commands, queries and subscriptions, as
 * {@code Principal.system("demo-worker")}.
 *
 * <p>It learns about work from the feed, from its head on: {@code session.started}, {@code session.resumed} and
 * {@code session.clarification_answered}. On {@link #start()} it also picks up demo sessions that are already
 * running, so that a restarted server finishes them. A session's run walks {@code decomposition},
 * {@code identify_gaps}, then either asks clarification questions {@code q1} and {@code q2} and stops (when
 * {@code input.clarify} is true and nothing was answered yet) or goes on with {@code persona_selection},
 * {@code deliberation} ({@code input.rounds} rounds of five agent events, each round recording progress and cost)
 * and {@code synthesis}, and completes with a {@code synthesis} and a {@code recommendation}. It continues after the
 * phase the session is in, so a resumed or picked-up session is never walked backwards.
 *
 * <p>Every step is a task on a scheduler, {@code input.stepDelayMs} after the previous one; no thread sleeps. Before
 * each step the run re-reads the session and stops unless it is still running, and it issues each command at the
 * version it read: a pause or kill that lands in between makes the command fail, and the run stops instead of
 * writing after it. A session has at most one run at a time. While it waits the run heartbeats, so that a long
 * step delay never looks like a lost worker. An interrupted round is run again in full when the session resumes.
 */
public final class DemoWorker implements AutoCloseable {

    /** The workflow this worker runs. */
    static final String WORKFLOW = "demo";

    static final int DEFAULT_ROUNDS = 2;
    static final int MAX_ROUNDS = 10;
    static final long DEFAULT_STEP_DELAY_MS = 200;
    static final long MAX_STEP_DELAY_MS = 5_000;
    static final Duration DEFAULT_HEARTBEAT_EVERY = Duration.ofSeconds(1);

    static final Phase DECOMPOSITION = new Phase("decomposition");
    static final Phase IDENTIFY_GAPS = new Phase("identify_gaps");
    static final Phase PERSONA_SELECTION = new Phase("persona_selection");
    static final Phase DELIBERATION = new Phase("deliberation");
    static final Phase SYNTHESIS = new Phase("synthesis");

    static final List<Question> QUESTIONS = List.of(
            new Question("q1", "Who will act on the recommendation?", true),
            new Question("q2", "Which constraint matters most: time, cost or risk?", true));

    /** The events of one round, in order. */
    static final List<String> ROUND_EVENTS = List.of("agent_started", "agent_thinking", "tool_executing",
            "tool_completed", "agent_completed");

    static final BigDecimal COST_PER_ROUND = new BigDecimal("0.0125");

    private static final Logger LOG = LoggerFactory.getLogger(DemoWorker.class);
    private static final Set<String> WAKE_UP_TYPES = Set.of(SessionEvent.STARTED, SessionEvent.RESUMED,
            SessionEvent.CLARIFICATION_ANSWERED);
    private static final List<String> AGENTS = List.of("analyst", "skeptic", "strategist");
    private static final List<String> TOOLS = List.of("web_search", "calculator", "knowledge_base");
    /** Consecutive version conflicts or store failures a run tolerates before it gives the session up. */
    private static final int MAX_RETRIES = 10;
    private static final long RETRY_DELAY_MS = 1_000;

    private final PhaselineCore core;
    private final Principal system = Principal.system("demo-worker");
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final long heartbeatEveryNanos;
    /** Runs by session; also guards every run's scheduling state. */
    private final Map<SessionId, Run> runs = new HashMap<>();
    private boolean started;
    private volatile boolean closed;
    private Subscription feed;
    private volatile long feedPosition;

    /**
     * A worker on its own scheduler threads, released by {@link #close()}.
     *
     * @param core the application to work through
     */
    public DemoWorker(PhaselineCore core) {
        this(core, null, DEFAULT_HEARTBEAT_EVERY);
    }

    /**
     * A worker whose steps run on the caller's scheduler, which the caller shuts down.
     *
     * @param core      the application to work through
     * @param scheduler runs the steps
     */
    public DemoWorker(PhaselineCore core, ScheduledExecutorService scheduler) {
        this(core, Objects.requireNonNull(scheduler, "scheduler"), DEFAULT_HEARTBEAT_EVERY);
    }

    /** Tests tune how often a waiting run heartbeats; {@code scheduler} {@code null} means one of its own. */
    DemoWorker(PhaselineCore core, ScheduledExecutorService scheduler, Duration heartbeatEvery) {
        this.core = Objects.requireNonNull(core, "core");
        if (heartbeatEvery.isNegative() || heartbeatEvery.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive");
        }
        this.heartbeatEveryNanos = heartbeatEvery.toNanos();
        this.ownsScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler : ownScheduler();
    }

    /**
     * Subscribes to the feed from its head and picks up every demo session that is running now. Idempotent.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws dev.phaseline.application.port.StoreUnavailableException if the store cannot be read
     */
    public void start() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the demo worker is closed");
            }
            if (started) {
                return;
            }
            // Subscribe before listing: a session started in between is then seen twice, never missed.
            subscribe(core.queries().feedHead(system));
            started = true;
        }
        int pickedUp = pickUpRunningSessions();
        LOG.info("demo worker started; picked up {} running demo session(s)", pickedUp);
    }

    /** Stops the subscription and every run; a step in progress ends with its current command. Idempotent. */
    @Override
    public void close() {
        Subscription subscription;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            subscription = feed;
            feed = null;
        }
        if (subscription != null) {
            subscription.close();
        }
        synchronized (runs) {
            runs.values().forEach(Run::cancel);
            runs.clear();
        }
        if (ownsScheduler) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("demo worker stopped");
    }

    /** @return how many sessions have a run now, for tests */
    int activeRuns() {
        synchronized (runs) {
            return runs.size();
        }
    }

    // --- finding work ---------------------------------------------------------------------------------------------

    private void subscribe(long afterPosition) {
        feedPosition = afterPosition;
        feed = core.subscriptions().subscribeFeed(system, afterPosition, WAKE_UP_TYPES, new SubscriptionListener() {
            @Override
            public void onEvent(StoredEvent event) {
                feedPosition = event.position();
                wake(event.sessionId());
            }

            @Override
            public void onEnd(StreamEnd end) {
                feedEnded(end);
            }
        });
    }

    private void feedEnded(StreamEnd end) {
        if (closed || end.reason() == StreamEnd.Reason.SHUTDOWN) {
            return;
        }
        LOG.warn("the demo worker's feed ended ({}); subscribing again after position {}", end.reason(),
                feedPosition);
        scheduleQuietly(this::resubscribe, RETRY_DELAY_MS);
    }

    private void resubscribe() {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                subscribe(feedPosition);
                return;
            } catch (RuntimeException e) {
                LOG.warn("the demo worker could not subscribe to the feed; trying again: {}", e.toString());
            }
        }
        scheduleQuietly(this::resubscribe, RETRY_DELAY_MS);
    }

    private int pickUpRunningSessions() {
        int found = 0;
        String cursor = null;
        do {
            SessionPage page = core.queries().list(system, new ListSessions(Set.of(SessionStatus.RUNNING), WORKFLOW,
                    null, ListSessions.MAX_LIMIT, cursor));
            for (Session session : page.items()) {
                wake(session.id());
                found++;
            }
            cursor = page.nextCursor();
        } while (cursor != null && !closed);
        return found;
    }

    /** Starts a run for the session, or tells its current run to look again before it ends. */
    private void wake(SessionId id) {
        synchronized (runs) {
            if (closed) {
                return;
            }
            Run run = runs.get(id);
            if (run != null) {
                run.wokenAgain = true;
                return;
            }
            run = new Run(id);
            runs.put(id, run);
            run.scheduleIn(0);
        }
    }

    private void scheduleQuietly(Runnable task, long delayMs) {
        try {
            scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.debug("the demo worker's scheduler is shut down");
        }
    }

    private static ScheduledExecutorService ownScheduler() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "phaseline-demo-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.setRemoveOnCancelPolicy(true);
        // A retry still waiting at close has nothing left to do: do not hold shutdown for it.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return pool;
    }

    // --- the input ------------------------------------------------------------------------------------------------

    /** @return {@code input.rounds} clamped to 1–10; 2 when it is absent or not a number */
    static int rounds(JsonValue.JsonObject input) {
        return (int) clamp(input.get("rounds"), DEFAULT_ROUNDS, 1, MAX_ROUNDS);
    }

    /** @return {@code input.stepDelayMs} clamped to 0–5000; 200 when it is absent or not a number */
    static long stepDelayMs(JsonValue.JsonObject input) {
        return clamp(input.get("stepDelayMs"), DEFAULT_STEP_DELAY_MS, 0, MAX_STEP_DELAY_MS);
    }

    /** @return whether {@code input.clarify} is the JSON literal {@code true} */
    static boolean clarify(JsonValue.JsonObject input) {
        return input.get("clarify") instanceof JsonValue.JsonBoolean flag && flag.value();
    }

    private static long clamp(JsonValue value, long fallback, long min, long max) {
        if (!(value instanceof JsonValue.JsonNumber number)) {
            return fallback;
        }
        BigDecimal given = number.value();
        if (given.compareTo(BigDecimal.valueOf(min)) < 0) {
            return min;
        }
        if (given.compareTo(BigDecimal.valueOf(max)) > 0) {
            return max;
        }
        return given.longValue();
    }

    // --- one session's run ----------------------------------------------------------------------------------------

    /** What a run does next. */
    private enum Stage {
        DECOMPOSITION, IDENTIFY_GAPS, PERSONA_SELECTION, DELIBERATION, ROUND, SYNTHESIS, COMPLETE
    }

    /**
     * The position of a run: a stage, and within {@link Stage#ROUND} the round (from 1) and the index of its next
     * event.
     */
    private record Cursor(Stage stage, int round, int event) {

        static Cursor at(Stage stage) {
            return new Cursor(stage, 0, 0);
        }

        /** Where a session stands after the phase it is in; {@code null} for a phase this worker does not know. */
        static Cursor after(Session session, int rounds) {
            if (session.phase() == null) {
                return at(Stage.DECOMPOSITION);
            }
            return switch (session.phase().name()) {
                case "decomposition" -> at(Stage.IDENTIFY_GAPS);
                case "identify_gaps" -> at(Stage.PERSONA_SELECTION);
                case "persona_selection" -> at(Stage.DELIBERATION);
                case "deliberation" -> session.progress().round() < rounds
                        ? new Cursor(Stage.ROUND, session.progress().round() + 1, 0) : at(Stage.SYNTHESIS);
                case "synthesis" -> at(Stage.COMPLETE);
                default -> null;
            };
        }

        Cursor next(int rounds) {
            return switch (stage) {
                case DECOMPOSITION -> at(Stage.IDENTIFY_GAPS);
                case IDENTIFY_GAPS -> at(Stage.PERSONA_SELECTION);
                case PERSONA_SELECTION -> at(Stage.DELIBERATION);
                case DELIBERATION -> new Cursor(Stage.ROUND, 1, 0);
                case ROUND -> event < ROUND_EVENTS.size() - 1 ? new Cursor(Stage.ROUND, round, event + 1)
                        : round < rounds ? new Cursor(Stage.ROUND, round + 1, 0) : at(Stage.SYNTHESIS);
                case SYNTHESIS -> at(Stage.COMPLETE);
                case COMPLETE -> null;
            };
        }
    }

    /** One session's run: one scheduled task at a time, each a step or a heartbeat while waiting for the next. */
    private final class Run implements Runnable {
        private final SessionId id;
        // Guarded by runs.
        private boolean wokenAgain;
        private ScheduledFuture<?> pending;
        // Touched only by the run's own task, one at a time.
        private Cursor cursor;
        private boolean waiting;
        private long dueNanos;
        private int retries;

        Run(SessionId id) {
            this.id = id;
        }

        @Override
        public void run() {
            try {
                long waitLeft = waiting ? dueNanos - System.nanoTime() : 0;
                if (waitLeft > 0) {
                    keepWaiting(waitLeft);
                } else {
                    waiting = false;
                    step();
                }
            } catch (PhaseOrderViolationException e) {
                LOG.warn("demo session {} was moved to another phase meanwhile; leaving it: {}", id, e.getMessage());
                end();
            } catch (IllegalTransitionException | SessionNotFoundException | ForbiddenException moved) {
                LOG.debug("demo session {} is no longer running: {}", id, moved.getMessage());
                end();
            } catch (VersionMismatchException changedMeanwhile) {
                // Someone else changed it since the read: read again and decide again.
                retryIn(0, changedMeanwhile);
            } catch (RuntimeException e) {
                retryIn(RETRY_DELAY_MS, e);
            }
        }

        private void keepWaiting(long waitLeft) {
            core.commands().heartbeat(system, id);
            scheduleInNanos(Math.min(waitLeft, heartbeatEveryNanos));
        }

        private void step() {
            Session session = core.queries().get(system, id);
            if (!WORKFLOW.equals(session.workflow()) || session.status() != SessionStatus.RUNNING) {
                end();
                return;
            }
            JsonValue.JsonObject input = session.input();
            int rounds = rounds(input);
            if (cursor == null) {
                cursor = Cursor.after(session, rounds);
                if (cursor == null) {
                    LOG.warn("demo session {} is in phase {}, which the demo does not know; leaving it", id,
                            session.phase());
                    end();
                    return;
                }
                LOG.info("demo session {}: working from {}", id, cursor.stage().name().toLowerCase(Locale.ROOT));
            }
            core.commands().heartbeat(system, id);
            boolean goOn = perform(session, rounds);
            retries = 0;
            if (!goOn) {
                end();
                return;
            }
            cursor = cursor.next(rounds);
            long delayMs = stepDelayMs(input);
            waiting = true;
            dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
            scheduleInNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(delayMs), heartbeatEveryNanos));
        }

        /** @return whether the run goes on after this step */
        private boolean perform(Session session, int rounds) {
            long version = session.version();
            switch (cursor.stage()) {
                case DECOMPOSITION -> changePhase(DECOMPOSITION, version);
                case IDENTIFY_GAPS -> changePhase(IDENTIFY_GAPS, version);
                case PERSONA_SELECTION -> {
                    if (clarify(session.input()) && session.answers().isEmpty()) {
                        execute(new SessionCommand.RequestClarification(QUESTIONS), version);
                        LOG.info("demo session {} waits for answers to its clarification questions", id);
                        return false;
                    }
                    changePhase(PERSONA_SELECTION, version);
                }
                case DELIBERATION -> changePhase(DELIBERATION, version);
                case ROUND -> roundEvent(rounds, version);
                case SYNTHESIS -> changePhase(SYNTHESIS, version);
                case COMPLETE -> {
                    execute(new SessionCommand.Complete(result(session, rounds)), version);
                    LOG.info("demo session {} completed", id);
                    return false;
                }
            }
            return true;
        }

        private void roundEvent(int rounds, long version) {
            int round = cursor.round();
            String agent = AGENTS.get((round - 1) % AGENTS.size());
            String tool = TOOLS.get((round - 1) % TOOLS.size());
            Map<String, JsonValue> data = new LinkedHashMap<>();
            data.put("round", JsonValue.of(round));
            data.put("agent", JsonValue.of(agent));
            String type = ROUND_EVENTS.get(cursor.event());
            switch (type) {
                case "agent_thinking" -> data.put("thought", JsonValue.of("weighing the gaps found so far"));
                case "tool_executing" -> data.put("tool", JsonValue.of(tool));
                case "tool_completed" -> {
                    data.put("tool", JsonValue.of(tool));
                    data.put("ok", JsonValue.of(true));
                }
                case "agent_completed" -> data.put("summary", JsonValue.of("the " + agent + " has spoken"));
                default -> {
                }
            }
            long next = execute(new SessionCommand.AppendEvent(type, JsonValue.object(data)), version);
            if (cursor.event() == ROUND_EVENTS.size() - 1) {
                execute(new SessionCommand.RecordProgress(round, round * 100 / rounds, COST_PER_ROUND), next);
            }
        }

        private void changePhase(Phase phase, long version) {
            execute(new SessionCommand.ChangePhase(phase), version);
        }

        /** @return the version after the command */
        private long execute(SessionCommand command, long version) {
            return core.commands().execute(system, id, command, version).session().version();
        }

        private JsonValue.JsonObject result(Session session, int rounds) {
            Map<String, JsonValue> result = new LinkedHashMap<>();
            result.put("synthesis", JsonValue.of("After " + rounds + " round(s) the "
                    + String.join(", ", AGENTS.subList(0, Math.min(rounds, AGENTS.size())))
                    + " agreed on a plan that closes the gaps found."));
            result.put("recommendation", JsonValue.of(session.answers().isEmpty()
                    ? "Proceed with the plan and review it after the first milestone."
                    : "Proceed with the plan, weighted by the answers given, and review it after the first "
                            + "milestone."));
            result.put("rounds", JsonValue.of(rounds));
            return JsonValue.object(result);
        }

        private void retryIn(long delayMs, RuntimeException cause) {
            if (++retries > MAX_RETRIES) {
                LOG.warn("demo session {}: giving up after {} failed attempts", id, MAX_RETRIES, cause);
                end();
                return;
            }
            LOG.debug("demo session {}: step failed, trying again: {}", id, cause.toString());
            waiting = false;
            scheduleIn(delayMs);
        }

        /** Ends this run, unless it was woken meanwhile: then it reads the session again and goes on from there. */
        private void end() {
            synchronized (runs) {
                pending = null;
                if (wokenAgain && !closed) {
                    wokenAgain = false;
                    cursor = null;
                    retries = 0;
                    waiting = false;
                    scheduleIn(0);
                    return;
                }
                runs.remove(id, this);
            }
        }

        void scheduleIn(long delayMs) {
            scheduleInNanos(TimeUnit.MILLISECONDS.toNanos(delayMs));
        }

        private void scheduleInNanos(long delayNanos) {
            synchronized (runs) {
                if (closed) {
                    return;
                }
                try {
                    pending = scheduler.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    runs.remove(id, this);
                }
            }
        }

        void cancel() {
            ScheduledFuture<?> task = pending;
            if (task != null) {
                task.cancel(false);
            }
        }
    }
}
