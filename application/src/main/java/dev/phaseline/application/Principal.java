package dev.phaseline.application;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: a user of a tenant with roles. Adapters build it from a verified token; embedders build it
 * themselves.
 *
 * @param userId   the user id ({@code sub}), never blank
 * @param tenantId the tenant, never blank
 * @param roles    the roles; may be empty, in which case the principal may do nothing
 */
public record Principal(String userId, String tenantId, Set<Role> roles) {

    /** Checks presence and copies the roles. */
    public Principal {
        if (userId == null || userId.isBlank() || tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("a principal has a user id and a tenant");
        }
        roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    }

    /**
     * @param userId   the user id
     * @param tenantId the tenant
     * @param roles    the roles
     * @return the principal
     */
    public static Principal of(String userId, String tenantId, Role... roles) {
        return new Principal(userId, tenantId, roles.length == 0 ? Set.of() : EnumSet.of(roles[0], roles));
    }

    /**
     * A principal for work the system does on its own behalf, such as failing sessions whose worker was lost or
     * running the demo worker: an admin that acts in every tenant.
     *
     * @param name names the actor in events, e.g. {@code heartbeat-sweeper}
     * @return the system principal
     */
    public static Principal system(String name) {
        return new Principal(name, "system", Set.of(Role.ADMIN));
    }

    /**
     * @param role a role
     * @return whether the principal has it
     */
    public boolean has(Role role) {
        return roles.contains(role);
    }
}
