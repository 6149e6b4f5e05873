package dev.phaseline.application;

import dev.phaseline.domain.SessionId;
import java.util.Set;

/**
 * Live event streams. A subscription first replays the durable log after the requested point, then switches to
 * live events with no gap and no duplicate, including events committed during the switch. Every subscription has a
 * bounded buffer: a subscriber that falls too far behind is ended with {@link StreamEnd.Reason#OVERFLOW}, never
 * silently skipped, and it resumes from the last event it received. A subscription holds no store connection while
 * it waits.
 */
public interface SessionSubscriptions {

    /**
     * Subscribes to one session. The subscription ends by itself after a terminal event (and at once, if the
     * session is terminal and the subscriber has seen every event).
     *
     * @param principal who subscribes; needs to be allowed to stream the session
     * @param id        the session
     * @param afterSeq  deliver events after this seq ({@code 0} for all)
     * @param listener  receives the events and the end
     * @return the subscription
     * @throws SessionNotFoundException if the session does not exist or is invisible to the principal
     * @throws ForbiddenException       if the principal may see it but not stream it
     */
    Subscription subscribe(Principal principal, SessionId id, long afterSeq, SubscriptionListener listener);

    /**
     * Subscribes to the feed of every event of the principal's tenant (an admin's: of every tenant), by global
     * position.
     *
     * @param principal     who subscribes; needs role support or admin
     * @param afterPosition deliver events after this position ({@code 0} for all)
     * @param types         only these event types, or empty for all
     * @param listener      receives the events
     * @return the subscription
     * @throws ForbiddenException if the principal lacks the roles
     */
    Subscription subscribeFeed(Principal principal, long afterPosition, Set<String> types,
            SubscriptionListener listener);
}
