package dev.phaseline.application.port;

import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A position in the newest-first session listing: the last session of the previous page. Sessions order by
 * {@code createdAt} descending, then by id descending, comparing ids by their lowercase text (which is how
 * PostgreSQL orders {@code uuid}).
 *
 * @param createdAt the creation time of the last session shown
 * @param id        its id
 */
public record SessionCursor(Instant createdAt, SessionId id) {

    /** The listing order: newest first, ties broken by id, descending. */
    public static final Comparator<Session> NEWEST_FIRST = Comparator
            .comparing(Session::createdAt, Comparator.reverseOrder())
            .thenComparing(session -> session.id().toString(), Comparator.reverseOrder());

    /** Checks presence. */
    public SessionCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    /**
     * @param session the last session of a page
     * @return the cursor after it
     */
    public static SessionCursor after(Session session) {
        return new SessionCursor(session.createdAt(), session.id());
    }

    /**
     * @param session a session
     * @return whether it comes after this cursor in the listing order
     */
    public boolean precedes(Session session) {
        int byTime = session.createdAt().compareTo(createdAt);
        if (byTime != 0) {
            return byTime < 0;
        }
        return session.id().toString().compareTo(id.toString()) < 0;
    }
}
