package dev.phaseline.application;

import dev.phaseline.application.port.StoredEvent;
import java.util.List;

/**
 * A page of a session's history.
 *
 * @param items     events in seq order
 * @param nextAfter pass as {@code after} to get the next page, or {@code null} when there are no more now
 */
public record EventPage(List<StoredEvent> items, Long nextAfter) {

    /** Largest page. */
    public static final int MAX_LIMIT = 1000;
    /** Page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 100;

    /** Copies the items. */
    public EventPage {
        items = List.copyOf(items);
    }
}
