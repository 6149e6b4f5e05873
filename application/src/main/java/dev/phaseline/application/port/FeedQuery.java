package dev.phaseline.application.port;

import java.util.Objects;
import java.util.Set;

/**
 * A read of the event feed by global position.
 *
 * @param tenantId      only events of this tenant, or {@code null} for every tenant
 * @param afterPosition only events after this position ({@code 0} for all)
 * @param types         only events of these types, or empty for every type
 * @param limit         the most events to return, {@code >= 1}
 */
public record FeedQuery(String tenantId, long afterPosition, Set<String> types, int limit) {

    /** Checks the ranges. */
    public FeedQuery {
        types = Set.copyOf(Objects.requireNonNull(types, "types"));
        if (afterPosition < 0 || limit < 1) {
            throw new IllegalArgumentException("afterPosition >= 0 and limit >= 1");
        }
    }
}
