package dev.phaseline.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.phaseline.application.memory.InMemorySessionStore;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionEvent;
import dev.phaseline.domain.SessionId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FeedHeadTest {

    private static final Principal ALICE = Principal.of("alice", "acme", Role.USER);
    private static final Principal SUPPORT = Principal.of("sam", "acme", Role.SUPPORT);
    private static final Principal WORKER = Principal.of("w1", "acme", Role.WORKER);

    private PhaselineCore core;

    @BeforeEach
    void buildCore() {
        InMemorySessionStore store = new InMemorySessionStore();
        core = PhaselineCore.builder().store(store).eventLog(store.eventLog()).sweepInterval(Duration.ZERO).build();
    }

    @AfterEach
    void closeCore() {
        core.close();
    }

    @Test
    void the_head_of_an_empty_feed_is_zero() {
        assertThat(core.queries().feedHead(SUPPORT)).isZero();
        assertThat(core.queries().feedHead(Principal.system("test"))).isZero();
    }

    @Test
    void the_head_is_the_position_of_the_last_committed_event() {
        SessionId id = core.commands().create(ALICE, new CreateSession("demo", null, null)).session().id();
        CommandResult started = core.commands().execute(ALICE, id, new SessionCommand.Start());

        assertThat(core.queries().feedHead(SUPPORT)).isEqualTo(started.events().get(0).position());
    }

    @Test
    void only_support_and_admin_may_read_the_head() {
        assertThatThrownBy(() -> core.queries().feedHead(ALICE)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> core.queries().feedHead(WORKER)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> core.queries().feedHead(Principal.of("nobody", "acme")))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void a_feed_subscribed_after_the_head_delivers_only_new_events() {
        SessionId old = core.commands().create(ALICE, new CreateSession("demo", null, null)).session().id();
        core.commands().execute(ALICE, old, new SessionCommand.Start());
        long head = core.queries().feedHead(SUPPORT);
        List<StoredEvent> received = new CopyOnWriteArrayList<>();

        try (Subscription feed = core.subscriptions().subscribeFeed(SUPPORT, head, Set.of(SessionEvent.STARTED),
                new SubscriptionListener() {
                    @Override
                    public void onEvent(StoredEvent event) {
                        received.add(event);
                    }

                    @Override
                    public void onEnd(StreamEnd end) {
                    }
                })) {
            SessionId fresh = core.commands().create(ALICE, new CreateSession("demo", null, null)).session().id();
            core.commands().execute(ALICE, fresh, new SessionCommand.Start());

            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            assertThat(received).extracting(StoredEvent::sessionId).containsExactly(fresh);
            assertThat(feed.isClosed()).isFalse();
        }
    }
}
