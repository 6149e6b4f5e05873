package dev.phaseline.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.phaseline.application.port.StoredEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionFactory;

/**
 * Keeps what a subscription delivered, and notices what a listener must never see: overlapping calls, a second end,
 * an event after the end.
 */
class RecordingListener implements SubscriptionListener {

    static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final List<StoredEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<StreamEnd> end = new AtomicReference<>();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final AtomicInteger misuses = new AtomicInteger();

    @Override
    public void onEvent(StoredEvent event) {
        if (!inCall.compareAndSet(false, true) || end.get() != null) {
            misuses.incrementAndGet();
        }
        try {
            received(event);
            events.add(event);
        } finally {
            inCall.set(false);
        }
    }

    /** Called for every event before it is recorded; a subclass may block here. */
    void received(StoredEvent event) {
    }

    @Override
    public void onEnd(StreamEnd streamEnd) {
        if (!end.compareAndSet(null, streamEnd)) {
            misuses.incrementAndGet();
        }
    }

    List<StoredEvent> events() {
        return List.copyOf(events);
    }

    List<Long> seqs() {
        return events.stream().map(StoredEvent::seq).toList();
    }

    List<Long> positions() {
        return events.stream().map(StoredEvent::position).toList();
    }

    List<String> types() {
        return events.stream().map(StoredEvent::type).toList();
    }

    int count() {
        return events.size();
    }

    /** @return the end, or {@code null} while the subscription runs */
    StreamEnd end() {
        return end.get();
    }

    /** @return an await that checks at once and then often, and gives up after {@link #PROMPTLY} */
    static ConditionFactory promptly() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(PROMPTLY);
    }

    StreamEnd awaitEnd() {
        promptly().until(() -> end.get() != null);
        return end.get();
    }

    void awaitCount(int expected) {
        promptly().alias("events: " + expected + " expected").until(() -> {
            if (end.get() != null && events.size() < expected) {
                throw new AssertionError("ended with " + end.get() + " after " + events.size() + " of " + expected
                        + " events");
            }
            return events.size() >= expected;
        });
        assertThat(events).hasSize(expected);
    }

    /** Checks that calls never overlapped, nothing came after the end and the end came at most once. */
    void assertWellBehaved() {
        assertThat(misuses.get()).as("overlapping calls, events after the end or a second end").isZero();
    }

    static List<Long> seqsBetween(long firstInclusive, long lastInclusive) {
        return LongStream.rangeClosed(firstInclusive, lastInclusive).boxed().toList();
    }
}
