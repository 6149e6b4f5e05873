package dev.phaseline.application;

import static dev.phaseline.application.Action.ANSWER;
import static dev.phaseline.application.Action.APPEND_EVENT;
import static dev.phaseline.application.Action.CHANGE_PHASE;
import static dev.phaseline.application.Action.COMPLETE;
import static dev.phaseline.application.Action.DELETE;
import static dev.phaseline.application.Action.FAIL;
import static dev.phaseline.application.Action.HEARTBEAT;
import static dev.phaseline.application.Action.KILL;
import static dev.phaseline.application.Action.PAUSE;
import static dev.phaseline.application.Action.READ;
import static dev.phaseline.application.Action.RECORD_PROGRESS;
import static dev.phaseline.application.Action.REQUEST_CLARIFICATION;
import static dev.phaseline.application.Action.RESUME;
import static dev.phaseline.application.Action.START;
import static dev.phaseline.application.Action.STREAM;

import dev.phaseline.domain.Session;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The role table, decided in one place. A principal sees a session if one of its roles does (user: its own
 * sessions; support and worker: its tenant's; admin: all); it may act if a role that sees the session grants the
 * action. Invisible answers not-found, never forbidden, so that ids cannot be probed.
 */
final class AccessPolicy {

    private static final Map<Role, Set<Action>> GRANTS = new EnumMap<>(Map.of(
            Role.USER, EnumSet.of(READ, STREAM, START, PAUSE, RESUME, ANSWER, KILL, DELETE),
            Role.SUPPORT, EnumSet.of(READ, STREAM, KILL),
            Role.WORKER, EnumSet.of(READ, STREAM, CHANGE_PHASE, RECORD_PROGRESS, REQUEST_CLARIFICATION,
                    APPEND_EVENT, COMPLETE, FAIL, HEARTBEAT),
            Role.ADMIN, EnumSet.allOf(Action.class)));

    /** Which sessions a listing may show: a tenant (or all) and an owner (or any). */
    record ListScope(String tenantId, String ownerId) {
    }

    void require(Principal principal, Session session, Action action) {
        boolean visible = false;
        for (Role role : principal.roles()) {
            if (sees(role, principal, session)) {
                visible = true;
                if (GRANTS.get(role).contains(action)) {
                    return;
                }
            }
        }
        if (!visible) {
            throw new SessionNotFoundException(session.id());
        }
        throw new ForbiddenException("your roles " + principal.roles() + " may not " + action.describe()
                + " this session");
    }

    void requireCreate(Principal principal) {
        if (!principal.has(Role.USER) && !principal.has(Role.ADMIN)) {
            throw new ForbiddenException("creating sessions needs role user or admin");
        }
    }

    void requireFeed(Principal principal) {
        if (!principal.has(Role.SUPPORT) && !principal.has(Role.ADMIN)) {
            throw new ForbiddenException("the tenant feed needs role support or admin");
        }
    }

    void requireAdmin(Principal principal) {
        if (!principal.has(Role.ADMIN)) {
            throw new ForbiddenException("this needs role admin");
        }
    }

    /** @return the tenant whose feed the principal reads, or {@code null} for every tenant (admin) */
    String feedTenant(Principal principal) {
        return principal.has(Role.ADMIN) ? null : principal.tenantId();
    }

    /**
     * @param principal   who lists
     * @param ownerFilter the owner asked for, or {@code null}
     * @return what the listing may show, or empty when it can show nothing
     */
    Optional<ListScope> listScope(Principal principal, String ownerFilter) {
        if (principal.has(Role.ADMIN)) {
            return Optional.of(new ListScope(null, ownerFilter));
        }
        if (principal.has(Role.SUPPORT) || principal.has(Role.WORKER)) {
            return Optional.of(new ListScope(principal.tenantId(), ownerFilter));
        }
        if (principal.has(Role.USER) && (ownerFilter == null || ownerFilter.equals(principal.userId()))) {
            return Optional.of(new ListScope(principal.tenantId(), principal.userId()));
        }
        return Optional.empty();
    }

    private static boolean sees(Role role, Principal principal, Session session) {
        return switch (role) {
            case ADMIN -> true;
            case SUPPORT, WORKER -> session.tenantId().equals(principal.tenantId());
            case USER -> session.tenantId().equals(principal.tenantId())
                    && session.ownerId().equals(principal.userId());
        };
    }
}
