package dev.phaseline.application.contract;

import static dev.phaseline.application.contract.ContractFixtures.at;
import static dev.phaseline.application.contract.ContractFixtures.newId;
import static dev.phaseline.application.contract.ContractFixtures.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.SessionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventBus} must do: deliver what one node publishes to the listeners of every node sharing its
 * medium, exactly as published and in publish order per session, stop at a closed registration or node, and keep a
 * failing listener from harming the others.
 *
 * <p>A subclass supplies bus nodes through {@link #newNode()}. A subscription may become effective asynchronously
 * (as on Redis pub/sub), so before a test relies on delivery it publishes probe events of a separate session until
 * every listener it waits for has received one; listeners here ignore events of other sessions than their test's.
 * Delivery is awaited for up to 5 s; a check that something does not arrive waits a quiet period of 300 ms.
 */
public abstract class EventBusContract {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(5);
    private static final long QUIET_MILLIS = 300;

    private final Set<EventBus> nodes = Collections.newSetFromMap(new IdentityHashMap<>());
    private final AtomicLong positions = new AtomicLong();
    private final SessionId probeSession = newId();
    private final AtomicLong probeSeq = new AtomicLong();
    private final String tenant = newTenant();

    /**
     * Called as often as a test needs nodes. Every node created within one test shares one medium, so that what one
     * node publishes reaches the listeners of all. A single-node bus may return the same instance every time within
     * a test. Events that leak in from other tests do no harm: every test looks only at sessions it made up.
     *
     * @return a bus node; the contract closes it after the test
     */
    protected abstract EventBus newNode();

    @AfterEach
    void closeNodesOfTheTest() {
        List<EventBus> open = new ArrayList<>(nodes);
        nodes.clear();
        RuntimeException failure = null;
        for (EventBus node : open) {
            try {
                node.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void a_listener_on_one_node_receives_what_another_node_publishes() {
        EventBus a = node();
        EventBus b = node();
        Recorder listener = new Recorder();
        b.subscribe(listener);
        awaitReady(a, listener);
        SessionId session = newId();
        List<StoredEvent> published = List.of(event(session, 1, "session.created"), event(session, 2, "agent_started"),
                event(session, 3, "agent_thinking"));

        a.publish(published);

        eventually().untilAsserted(
                () -> assertThat(listener.of(session)).containsExactlyElementsOf(published));
    }

    @Test
    void every_listener_on_every_node_receives_every_event() {
        EventBus a = node();
        EventBus b = node();
        EventBus c = node();
        List<Recorder> listeners = List.of(new Recorder(), new Recorder(), new Recorder(), new Recorder());
        a.subscribe(listeners.get(0));
        b.subscribe(listeners.get(1));
        b.subscribe(listeners.get(2));
        c.subscribe(listeners.get(3));
        awaitReady(a, listeners.toArray(Recorder[]::new));
        SessionId session = newId();
        List<StoredEvent> published = List.of(event(session, 1, "session.created"), event(session, 2, "agent_started"));

        a.publish(published);

        eventually().untilAsserted(() -> assertThat(listeners)
                .allSatisfy(listener -> assertThat(listener.of(session)).containsExactlyElementsOf(published)));
    }

    @Test
    void events_of_one_session_arrive_in_publish_order() {
        EventBus a = node();
        EventBus b = node();
        Recorder listener = new Recorder();
        b.subscribe(listener);
        awaitReady(a, listener);
        SessionId session = newId();
        SessionId other = newId();
        List<StoredEvent> published = new ArrayList<>();
        List<StoredEvent> otherPublished = new ArrayList<>();
        for (int seq = 1; seq <= 60; seq++) {
            StoredEvent event = event(session, seq, "agent_thinking");
            StoredEvent otherEvent = event(other, seq, "tool_executing");
            published.add(event);
            otherPublished.add(otherEvent);
            if (seq % 3 == 0) {
                a.publish(List.of(event, otherEvent));
            } else {
                a.publish(List.of(event));
                a.publish(List.of(otherEvent));
            }
        }

        eventually().untilAsserted(() -> {
            assertThat(listener.of(session)).containsExactlyElementsOf(published);
            assertThat(listener.of(other)).containsExactlyElementsOf(otherPublished);
        });
    }

    @Test
    void events_keep_their_data_exactly_as_published() {
        EventBus a = node();
        EventBus b = node();
        Recorder listener = new Recorder();
        b.subscribe(listener);
        awaitReady(a, listener);
        SessionId session = newId();
        StoredEvent event = new StoredEvent(positions.incrementAndGet(), session, tenant, 1, "agent_thinking", at(1),
                ContractFixtures.richJson());

        a.publish(List.of(event));

        eventually().untilAsserted(() -> assertThat(listener.of(session)).containsExactly(event));
    }

    @Test
    void a_closed_registration_receives_nothing_more_while_others_still_do() throws InterruptedException {
        EventBus a = node();
        EventBus b = node();
        Recorder closed = new Recorder();
        Recorder open = new Recorder();
        EventBus.Registration registration = b.subscribe(closed);
        b.subscribe(open);
        awaitReady(a, closed, open);
        SessionId session = newId();

        registration.close();
        a.publish(List.of(event(session, 1, "session.created")));
        a.publish(List.of(event(session, 2, "agent_started")));

        eventually().untilAsserted(() -> assertThat(open.of(session)).hasSize(2));
        Thread.sleep(QUIET_MILLIS);
        assertThat(closed.of(session)).isEmpty();
    }

    @Test
    void closing_a_registration_twice_is_harmless() {
        EventBus a = node();
        Recorder listener = new Recorder();
        EventBus.Registration registration = a.subscribe(listener);

        registration.close();
        registration.close();

        a.publish(List.of(event(newId(), 1, "session.created")));
    }

    @Test
    void a_throwing_listener_does_not_keep_others_from_their_events() {
        EventBus a = node();
        EventBus b = node();
        Recorder before = new Recorder();
        Recorder after = new Recorder();
        Recorder elsewhere = new Recorder();
        b.subscribe(before);
        b.subscribe(event -> {
            throw new IllegalStateException("a listener fails on purpose");
        });
        b.subscribe(after);
        a.subscribe(elsewhere);
        awaitReady(a, before, after, elsewhere);
        SessionId session = newId();
        List<StoredEvent> published = List.of(event(session, 1, "session.created"), event(session, 2, "agent_started"),
                event(session, 3, "agent_thinking"));

        a.publish(published.subList(0, 2));
        a.publish(published.subList(2, 3));

        eventually().untilAsserted(() -> assertThat(List.of(before, after, elsewhere))
                .allSatisfy(listener -> assertThat(listener.of(session)).containsExactlyElementsOf(published)));
    }

    @Test
    void publishing_without_any_listener_is_fine_and_later_listeners_get_later_events() {
        EventBus a = node();
        EventBus b = node();
        SessionId session = newId();

        a.publish(List.of(event(session, 1, "session.created")));
        Recorder listener = new Recorder();
        b.subscribe(listener);
        awaitReady(a, listener);
        StoredEvent later = event(session, 2, "agent_started");
        a.publish(List.of(later));

        eventually().untilAsserted(() -> assertThat(listener.of(session)).endsWith(later));
    }

    @Test
    void publishing_an_empty_batch_is_fine() {
        EventBus a = node();
        EventBus b = node();
        Recorder listener = new Recorder();
        b.subscribe(listener);

        a.publish(List.of());

        awaitReady(a, listener);
    }

    @Test
    void a_closed_node_delivers_nothing_more() throws InterruptedException {
        EventBus a = node();
        EventBus b = node();
        Recorder listener = new Recorder();
        b.subscribe(listener);
        awaitReady(a, listener);
        SessionId session = newId();

        close(b);
        try {
            a.publish(List.of(event(session, 1, "session.created")));
        } catch (RuntimeException refused) {
            // A single-node bus is both nodes; once closed it may refuse to publish. Either way nothing arrives.
        }

        Thread.sleep(QUIET_MILLIS);
        assertThat(listener.of(session)).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static ConditionFactory eventually() {
        return await().atMost(DELIVERY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    private EventBus node() {
        EventBus node = newNode();
        assertThat(node).as("a bus node").isNotNull();
        nodes.add(node);
        return node;
    }

    private void close(EventBus node) {
        nodes.remove(node);
        node.close();
    }

    private StoredEvent event(SessionId session, long seq, String type) {
        return new StoredEvent(positions.incrementAndGet(), session, tenant, seq, type, at(seq),
                JsonValue.object(Map.of("seq", JsonValue.of(seq), "text", JsonValue.of("line\n\ndata: x"))));
    }

    /** Publishes probe events of a separate session until every listener has received one. */
    private void awaitReady(EventBus publisher, Recorder... listeners) {
        eventually().alias("every listener received a probe event").until(() -> {
            long seq = probeSeq.incrementAndGet();
            publisher.publish(List.of(new StoredEvent(positions.incrementAndGet(), probeSession, tenant, seq,
                    "probe", at(seq), JsonValue.EMPTY_OBJECT)));
            for (Recorder listener : listeners) {
                if (listener.of(probeSession).isEmpty()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Records what a listener receives, from any thread. */
    private static final class Recorder implements EventBus.Listener {

        private final List<StoredEvent> received = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(StoredEvent event) {
            received.add(event);
        }

        /** @return what arrived of one session, in arrival order */
        List<StoredEvent> of(SessionId session) {
            return received.stream().filter(event -> event.sessionId().equals(session)).toList();
        }
    }
}
