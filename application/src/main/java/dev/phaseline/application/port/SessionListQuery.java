package dev.phaseline.application.port;

import dev.phaseline.domain.SessionStatus;
import java.util.Objects;
import java.util.Set;

/**
 * What a store lists: visible sessions matching the filters, newest first, after a cursor.
 *
 * @param tenantId the tenant, or {@code null} for every tenant
 * @param ownerId  only sessions of this owner, or {@code null} for any owner
 * @param statuses the statuses to include, never empty
 * @param workflow only this workflow, or {@code null} for any
 * @param after    start after this session, or {@code null} for the first page
 * @param limit    the most sessions to return, {@code >= 1}
 */
public record SessionListQuery(String tenantId, String ownerId, Set<SessionStatus> statuses, String workflow,
        SessionCursor after, int limit) {

    /** Checks the filters. */
    public SessionListQuery {
        statuses = Set.copyOf(Objects.requireNonNull(statuses, "statuses"));
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("list at least one status");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
    }
}
