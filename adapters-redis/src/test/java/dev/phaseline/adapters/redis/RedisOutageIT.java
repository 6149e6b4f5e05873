package dev.phaseline.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.phaseline.adapters.redis.testing.RedisTestServer;
import dev.phaseline.application.port.EventBus;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Redis going away, shut down or killed as in a crash, and coming back: commands fail fast instead of hanging, a
 * node's own listeners keep getting its events, and once Redis is back both connections recover by themselves and
 * listeners are told to resync.
 */
class RedisOutageIT {

    /** Generous, so the test cannot hang; the adapter fails in far less (rejected at once while disconnected). */
    private static final Duration FAST = Duration.ofSeconds(3);

    private final AtomicLong positions = new AtomicLong();
    private RedisTestServer server;
    private RedisAdapter nodeA;
    private RedisAdapter nodeB;

    @BeforeEach
    void startTwoNodes() {
        server = RedisTestServer.start();
        assumeTrue(server.canRestart(), "needs a local redis-server it can stop and restart");
        RedisSettings settings = RedisSettings.of(server.url()).withKeyPrefix("outage-" + UUID.randomUUID() + ":")
                .withCommandTimeout(Duration.ofMillis(500));
        nodeA = RedisAdapter.connect(settings);
        nodeB = RedisAdapter.connect(settings);
    }

    @AfterEach
    void stopAll() {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
        server.close();
    }

    @Test
    void while_redis_is_down_cache_and_publish_fail_fast_and_local_listeners_still_get_local_events() {
        Recorder local = new Recorder();
        nodeA.bus().subscribe(local);
        Session session = Sessions.rich();
        SessionId events = Sessions.newId();

        // Shut down as an operator would; the crash is the reconnect test's.
        server.stop();
        await().atMost(FAST).until(() -> !nodeA.ping());

        assertFailsFast(() -> nodeA.cache().get(session.id()));
        assertFailsFast(() -> nodeA.cache().put(session));
        assertFailsFast(() -> nodeA.cache().remove(session.id()));
        List<StoredEvent> published = List.of(event(events, 1), event(events, 2));
        assertFailsFast(() -> nodeA.bus().publish(published.subList(0, 1)));
        assertFailsFast(() -> nodeA.bus().publish(published.subList(1, 2)));

        await().atMost(FAST).untilAsserted(() -> assertThat(local.of(events)).containsExactlyElementsOf(published));
        assertThat(nodeA.ping()).isFalse();
    }

    @Test
    void while_redis_hangs_commands_fail_after_the_command_timeout_and_work_again_afterwards() {
        Recorder local = new Recorder();
        nodeA.bus().subscribe(local);
        Session session = Sessions.rich();
        SessionId events = Sessions.newId();
        StoredEvent event = event(events, 1);

        // Long enough to outlast the three calls below (each up to the 500 ms timeout) on a slow machine. It cannot be
        // ended early: a paused server does not take CLIENT UNPAUSE from a new connection either.
        server.command("CLIENT", "PAUSE", "6000");

        assertFailsFast(() -> nodeA.cache().put(session));
        assertFailsFast(() -> nodeA.bus().publish(List.of(event)));
        long started = System.nanoTime();
        assertThat(nodeA.ping()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
        await().atMost(FAST).untilAsserted(() -> assertThat(local.of(events)).containsExactly(event));

        await().atMost(Duration.ofSeconds(10)).until(nodeA::ping);
        assertThat(nodeA.cache().put(session)).isTrue();
        assertThat(nodeB.cache().get(session.id())).contains(session);
    }

    @Test
    void when_redis_returns_after_a_crash_the_nodes_reconnect_by_themselves_resync_and_deliver_across_nodes_again() {
        Recorder onA = new Recorder();
        Recorder onB = new Recorder();
        nodeA.bus().subscribe(onA);
        nodeB.bus().subscribe(onB);
        SessionId before = Sessions.newId();
        nodeA.bus().publish(List.of(event(before, 1)));
        await().atMost(FAST).until(() -> onB.of(before).size() == 1);
        assertThat(onA.resyncs.get()).isZero();
        assertThat(onB.resyncs.get()).isZero();

        // SIGKILL: Redis closes no client on its way out, the kernel drops the sockets.
        server.kill();
        await().atMost(FAST).until(() -> !nodeA.ping() && !nodeB.ping());
        server.restart();

        await().atMost(Duration.ofSeconds(30)).until(() -> onA.resyncs.get() >= 1 && onB.resyncs.get() >= 1);
        // The subscription and the command connection reconnect independently, each on its own back-off.
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeA.ping() && nodeB.ping());
        SessionId after = Sessions.newId();
        List<StoredEvent> published = List.of(event(after, 1), event(after, 2));
        nodeA.bus().publish(published);
        await().atMost(FAST).untilAsserted(() -> {
            assertThat(onB.of(after)).containsExactlyElementsOf(published);
            assertThat(onA.of(after)).containsExactlyElementsOf(published);
        });
        Session session = Sessions.rich();
        assertThat(nodeB.cache().get(session.id())).as("the restarted Redis is empty").isEmpty();
        assertThat(nodeA.cache().put(session)).isTrue();
        assertThat(nodeB.cache().get(session.id())).contains(session);
        assertThat(onA.resyncs.get()).as("one resync per reconnect").isEqualTo(1);
        assertThat(onB.resyncs.get()).as("one resync per reconnect").isEqualTo(1);
    }

    private static void assertFailsFast(Executable command) {
        long started = System.nanoTime();
        assertThatThrownBy(command::execute).isInstanceOf(RedisUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
    }

    private StoredEvent event(SessionId session, long seq) {
        return new StoredEvent(positions.incrementAndGet(), session, "tenant-1", seq, "agent_thinking",
                Sessions.at(seq), JsonValue.object(Map.of("seq", JsonValue.of(seq))));
    }

    /** Records events and resyncs, from any thread. */
    private static final class Recorder implements EventBus.Listener {

        final List<StoredEvent> received = new CopyOnWriteArrayList<>();
        final AtomicInteger resyncs = new AtomicInteger();

        @Override
        public void onEvent(StoredEvent event) {
            received.add(event);
        }

        @Override
        public void onResync() {
            resyncs.incrementAndGet();
        }

        List<StoredEvent> of(SessionId session) {
            return received.stream().filter(event -> event.sessionId().equals(session)).toList();
        }
    }
}
