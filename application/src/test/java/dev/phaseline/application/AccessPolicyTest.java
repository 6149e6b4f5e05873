package dev.phaseline.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The role table of the HTTP API, written out here as data and checked against every command, query and stream:
 * each role, on its own session, on another user's session of its tenant, and on a session of another tenant.
 */
class AccessPolicyTest {

    private static final String TENANT = "acme";
    private static final String CALLER = "carol";

    /** Who owns the session the caller acts on. */
    enum Whose {
        OWN,
        OTHER_USER_SAME_TENANT,
        OTHER_TENANT
    }

    enum Outcome {
        ALLOWED,
        FORBIDDEN,
        NOT_FOUND
    }

    /** What the session must be in for the operation to be legal, so that "allowed" can be seen to succeed. */
    enum Precondition {
        CREATED,
        RUNNING,
        PAUSED_ON_REQUEST,
        PAUSED_FOR_CLARIFICATION
    }

    @FunctionalInterface
    interface Call {
        void on(PhaselineCore core, Principal principal, SessionId id);
    }

    /** Every operation on one session that the inbound API offers. */
    enum Operation {
        GET(Precondition.RUNNING, (core, p, id) -> core.queries().get(p, id)),
        HISTORY(Precondition.RUNNING, (core, p, id) -> core.queries().history(p, id, 0, 10)),
        STREAM(Precondition.RUNNING,
                (core, p, id) -> core.subscriptions().subscribe(p, id, 0, new RecordingListener()).close()),
        START(Precondition.CREATED, command(new SessionCommand.Start())),
        PAUSE(Precondition.RUNNING, command(new SessionCommand.Pause(null))),
        RESUME(Precondition.PAUSED_ON_REQUEST, command(new SessionCommand.Resume())),
        ANSWER(Precondition.PAUSED_FOR_CLARIFICATION,
                command(new SessionCommand.AnswerClarification(Map.of("q1", "a", "q2", "b")))),
        KILL(Precondition.RUNNING, command(new SessionCommand.Kill("enough"))),
        DELETE(Precondition.RUNNING, command(new SessionCommand.Delete())),
        CHANGE_PHASE(Precondition.RUNNING, command(new SessionCommand.ChangePhase(new Phase("synthesis")))),
        RECORD_PROGRESS(Precondition.RUNNING, command(new SessionCommand.RecordProgress(1, 50, null))),
        REQUEST_CLARIFICATION(Precondition.RUNNING, command(CoreFixture.askTwoQuestions())),
        APPEND_EVENT(Precondition.RUNNING, command(CoreFixture.appendEvent(1))),
        COMPLETE(Precondition.RUNNING, command(new SessionCommand.Complete(null))),
        FAIL(Precondition.RUNNING, command(new SessionCommand.Fail("tool_crashed", "boom"))),
        HEARTBEAT(Precondition.RUNNING, (core, p, id) -> core.commands().heartbeat(p, id));

        final Precondition precondition;
        final Call call;

        Operation(Precondition precondition, Call call) {
            this.precondition = precondition;
            this.call = call;
        }

        private static Call command(SessionCommand command) {
            return (core, p, id) -> core.commands().execute(p, id, command);
        }
    }

    /** The role table of HTTP-API.md. */
    private static final Map<Role, Set<Operation>> MAY = Map.of(
            Role.USER, EnumSet.of(Operation.GET, Operation.HISTORY, Operation.STREAM, Operation.START,
                    Operation.PAUSE, Operation.RESUME, Operation.ANSWER, Operation.KILL, Operation.DELETE),
            Role.SUPPORT, EnumSet.of(Operation.GET, Operation.HISTORY, Operation.STREAM, Operation.KILL),
            Role.WORKER, EnumSet.of(Operation.GET, Operation.HISTORY, Operation.STREAM, Operation.CHANGE_PHASE,
                    Operation.RECORD_PROGRESS, Operation.REQUEST_CLARIFICATION, Operation.APPEND_EVENT,
                    Operation.COMPLETE, Operation.FAIL, Operation.HEARTBEAT),
            Role.ADMIN, EnumSet.allOf(Operation.class));

    /** Which sessions each role sees: users their own, support and workers their tenant's, admins all. */
    private static final Map<Role, Set<Whose>> SEES = Map.of(
            Role.USER, EnumSet.of(Whose.OWN),
            Role.SUPPORT, EnumSet.of(Whose.OWN, Whose.OTHER_USER_SAME_TENANT),
            Role.WORKER, EnumSet.of(Whose.OWN, Whose.OTHER_USER_SAME_TENANT),
            Role.ADMIN, EnumSet.allOf(Whose.class));

    /** Operations that store no event when they succeed. */
    private static final Set<Operation> WITHOUT_EVENT = EnumSet.of(Operation.GET, Operation.HISTORY,
            Operation.STREAM, Operation.HEARTBEAT);

    private final CoreFixture fixture = CoreFixture.create();

    @AfterEach
    void closeCore() {
        fixture.close();
    }

    static Stream<Arguments> roleTable() {
        return Stream.of(Role.values()).flatMap(role -> Stream.of(Whose.values()).flatMap(whose ->
                Stream.of(Operation.values()).map(operation -> Arguments.of(role, whose, operation,
                        !SEES.get(role).contains(whose) ? Outcome.NOT_FOUND
                                : MAY.get(role).contains(operation) ? Outcome.ALLOWED : Outcome.FORBIDDEN))));
    }

    @ParameterizedTest(name = "{0} on {1} session: {2} is {3}")
    @MethodSource("roleTable")
    void every_operation_is_allowed_forbidden_or_invisible_as_the_role_table_says(Role role, Whose whose,
            Operation operation, Outcome expected) {
        Principal caller = Principal.of(CALLER, TENANT, role);
        SessionId id = sessionFor(whose, operation.precondition);
        Session before = fixture.stored(id);
        List<StoredEvent> logBefore = fixture.log(id);

        switch (expected) {
            case ALLOWED -> {
                assertThatCode(() -> operation.call.on(fixture.core, caller, id)).doesNotThrowAnyException();
                if (!WITHOUT_EVENT.contains(operation)) {
                    assertThat(fixture.log(id)).hasSizeGreaterThan(logBefore.size());
                }
            }
            case FORBIDDEN -> {
                assertThatThrownBy(() -> operation.call.on(fixture.core, caller, id))
                        .isInstanceOf(ForbiddenException.class);
                assertUnchanged(id, before, logBefore);
            }
            case NOT_FOUND -> {
                assertThatThrownBy(() -> operation.call.on(fixture.core, caller, id))
                        .isInstanceOf(SessionNotFoundException.class)
                        .hasMessage(new SessionNotFoundException(id).getMessage());
                assertUnchanged(id, before, logBefore);
            }
            default -> throw new IllegalStateException("unknown outcome " + expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void only_users_and_admins_may_create_sessions(Role role) {
        Principal caller = Principal.of(CALLER, TENANT, role);
        if (role == Role.USER || role == Role.ADMIN) {
            assertThat(fixture.commands().create(caller, new CreateSession(null, null, null)).session().ownerId())
                    .isEqualTo(CALLER);
        } else {
            assertThatThrownBy(() -> fixture.commands().create(caller, new CreateSession(null, null, null)))
                    .isInstanceOf(ForbiddenException.class);
            assertThat(fixture.wholeLog()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void only_support_and_admins_may_read_the_feed(Role role) {
        Principal caller = Principal.of(CALLER, TENANT, role);
        if (role == Role.SUPPORT || role == Role.ADMIN) {
            fixture.subscriptions().subscribeFeed(caller, 0, Set.of(), new RecordingListener()).close();
        } else {
            assertThatThrownBy(() -> fixture.subscriptions().subscribeFeed(caller, 0, Set.of(),
                    new RecordingListener())).isInstanceOf(ForbiddenException.class);
        }
        assertThat(fixture.core.openSubscriptions()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void only_admins_may_read_the_stats(Role role) {
        fixture.created(CoreFixture.user("dave", "globex"));
        Principal caller = Principal.of(CALLER, TENANT, role);
        if (role == Role.ADMIN) {
            assertThat(fixture.queries().stats(caller).countsByTenant()).containsKey("globex");
        } else {
            assertThatThrownBy(() -> fixture.queries().stats(caller)).isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    void a_principal_without_roles_sees_nothing_and_may_do_nothing() {
        Principal nobody = Principal.of(CALLER, TENANT);
        SessionId own = sessionFor(Whose.OWN, Precondition.RUNNING);

        assertThatThrownBy(() -> fixture.queries().get(nobody, own)).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> fixture.commands().create(nobody, new CreateSession(null, null, null)))
                .isInstanceOf(ForbiddenException.class);
        assertThat(fixture.queries().list(nobody, ListSessions.firstPage()).items()).isEmpty();
    }

    @Test
    void roles_add_up_so_a_user_who_is_also_a_worker_may_drive_its_own_session() {
        Principal both = Principal.of(CALLER, TENANT, Role.USER, Role.WORKER);
        SessionId id = sessionFor(Whose.OWN, Precondition.CREATED);

        fixture.commands().execute(both, id, new SessionCommand.Start());
        fixture.commands().execute(both, id, new SessionCommand.Complete(null));

        assertThat(fixture.stored(id).status().isTerminal()).isTrue();
    }

    private void assertUnchanged(SessionId id, Session before, List<StoredEvent> logBefore) {
        assertThat(fixture.stored(id)).isEqualTo(before);
        assertThat(fixture.log(id)).isEqualTo(logBefore);
        assertThat(fixture.core.openSubscriptions()).isZero();
    }

    private SessionId sessionFor(Whose whose, Precondition precondition) {
        Principal owner = switch (whose) {
            case OWN -> CoreFixture.user(CALLER, TENANT);
            case OTHER_USER_SAME_TENANT -> CoreFixture.user("bob", TENANT);
            case OTHER_TENANT -> CoreFixture.user(CALLER, "globex");
        };
        return switch (precondition) {
            case CREATED -> fixture.created(owner);
            case RUNNING -> fixture.running(owner);
            case PAUSED_ON_REQUEST -> fixture.pausedOnRequest(owner);
            case PAUSED_FOR_CLARIFICATION -> fixture.pausedForClarification(owner);
        };
    }
}
