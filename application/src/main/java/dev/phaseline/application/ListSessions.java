package dev.phaseline.application;

import dev.phaseline.domain.SessionStatus;
import dev.phaseline.domain.ValidationException;
import java.util.Set;

/**
 * A page of the sessions the principal may see, newest first.
 *
 * @param statuses only these statuses; empty for every status but {@code deleted}
 * @param workflow only this workflow, or {@code null}
 * @param owner    only this owner, or {@code null}
 * @param limit    page size, 1–{@value #MAX_LIMIT}
 * @param cursor   the {@code nextCursor} of the previous page, or {@code null} for the first
 */
public record ListSessions(Set<SessionStatus> statuses, String workflow, String owner, int limit, String cursor) {

    /** Page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 50;
    /** Largest page size. */
    public static final int MAX_LIMIT = 200;

    /** @throws ValidationException (path {@code limit}) if the limit is out of range */
    public ListSessions {
        statuses = Set.copyOf(statuses);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ValidationException.of("limit", "must be between 1 and " + MAX_LIMIT);
        }
    }

    /** @return the first page of every visible session that is not deleted */
    public static ListSessions firstPage() {
        return new ListSessions(Set.of(), null, null, DEFAULT_LIMIT, null);
    }
}
