package dev.phaseline.application;

import dev.phaseline.domain.SessionStatus;
import java.util.Map;

/**
 * Session counts for operators.
 *
 * @param countsByTenant the number of sessions by tenant, then by status
 */
public record AdminStats(Map<String, Map<SessionStatus, Long>> countsByTenant) {

    /** Copies the counts. */
    public AdminStats {
        countsByTenant = Map.copyOf(countsByTenant);
    }
}
