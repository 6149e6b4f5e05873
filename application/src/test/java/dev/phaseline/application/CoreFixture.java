package dev.phaseline.application;

import dev.phaseline.application.memory.InMemorySessionStore;
import dev.phaseline.application.port.FeedQuery;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A {@link PhaselineCore} wired to the in-memory store and log and a clock the test moves, with helpers that drive
 * sessions into the state a test needs (as admin, unless a test says otherwise).
 */
final class CoreFixture implements AutoCloseable {

    static final Principal ADMIN = Principal.of("root", "ops", Role.ADMIN);

    final MutableClock clock = MutableClock.standing();
    final InMemorySessionStore store = new InMemorySessionStore();
    final PhaselineCore core;

    private CoreFixture(UnaryOperator<PhaselineCore.Builder> customize) {
        core = customize.apply(builder(store, clock)).build();
    }

    static CoreFixture create() {
        return new CoreFixture(UnaryOperator.identity());
    }

    /** @param customize adds to (or overrides) the wiring: cache, bus, buffer, phase orders … */
    static CoreFixture create(UnaryOperator<PhaselineCore.Builder> customize) {
        return new CoreFixture(customize);
    }

    /** @return a builder with the store, its log, the clock and no background sweep */
    static PhaselineCore.Builder builder(InMemorySessionStore store, Clock clock) {
        return PhaselineCore.builder()
                .store(store)
                .eventLog(store.eventLog())
                .clock(clock)
                .sweepInterval(Duration.ZERO);
    }

    static Principal user(String userId, String tenantId) {
        return Principal.of(userId, tenantId, Role.USER);
    }

    static Principal support(String tenantId) {
        return Principal.of("support-" + tenantId, tenantId, Role.SUPPORT);
    }

    static Principal worker(String tenantId) {
        return Principal.of("worker-" + tenantId, tenantId, Role.WORKER);
    }

    SessionCommands commands() {
        return core.commands();
    }

    SessionQueries queries() {
        return core.queries();
    }

    SessionSubscriptions subscriptions() {
        return core.subscriptions();
    }

    SessionId created(Principal owner) {
        return created(owner, null);
    }

    SessionId created(Principal owner, String workflow) {
        return commands().create(owner, new CreateSession(workflow, "a title", null)).session().id();
    }

    SessionId running(Principal owner) {
        SessionId id = created(owner);
        admin(id, new SessionCommand.Start());
        return id;
    }

    SessionId pausedOnRequest(Principal owner) {
        SessionId id = running(owner);
        admin(id, new SessionCommand.Pause("coffee"));
        return id;
    }

    SessionId pausedForClarification(Principal owner) {
        SessionId id = running(owner);
        admin(id, askTwoQuestions());
        return id;
    }

    SessionId completed(Principal owner) {
        SessionId id = running(owner);
        admin(id, new SessionCommand.Complete(null));
        return id;
    }

    CommandResult admin(SessionId id, SessionCommand command) {
        return commands().execute(ADMIN, id, command);
    }

    void appendEvents(SessionId id, int count) {
        for (int i = 0; i < count; i++) {
            admin(id, appendEvent(i));
        }
    }

    /** @return the state in the store, the source of truth */
    Session stored(SessionId id) {
        return store.find(id).orElseThrow();
    }

    /** @return the session's events in the log */
    List<StoredEvent> log(SessionId id) {
        return store.eventLog().readSession(id, 0, 100_000);
    }

    /** @return every event of every tenant in the log */
    List<StoredEvent> wholeLog() {
        return store.eventLog().readFeed(new FeedQuery(null, 0, Set.of(), 1_000_000));
    }

    static SessionCommand.AppendEvent appendEvent(int n) {
        return new SessionCommand.AppendEvent("agent_thinking",
                JsonValue.object(Map.of("n", JsonValue.of(n))));
    }

    static SessionCommand.RequestClarification askTwoQuestions() {
        return new SessionCommand.RequestClarification(List.of(
                new Question("q1", "Which market?", true),
                new Question("q2", "Which budget?", true)));
    }

    @Override
    public void close() {
        core.close();
    }
}
