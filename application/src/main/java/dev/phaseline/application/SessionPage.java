package dev.phaseline.application;

import dev.phaseline.domain.Session;
import java.util.List;

/**
 * A page of sessions.
 *
 * @param items      the sessions, newest first
 * @param nextCursor pass to get the next page, or {@code null} when this is the last
 */
public record SessionPage(List<Session> items, String nextCursor) {

    /** Copies the items. */
    public SessionPage {
        items = List.copyOf(items);
    }
}
