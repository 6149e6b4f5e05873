package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.inprocess.InProcessLiveStateCache;
import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * After the bus reports that it may have lost events, this node no longer trusts the versions it knew: another node
 * may have committed meanwhile, and its cache write may have been lost too. Reads go back to the store.
 */
class BusResyncTest {

    private static final Principal ALICE = user("alice", "acme");

    @Test
    void a_resync_forgets_known_versions_so_an_entry_other_nodes_moved_past_is_no_longer_served() {
        InProcessLiveStateCache cache = new InProcessLiveStateCache();
        AtomicInteger resyncs = new AtomicInteger();
        ApplicationMetrics metrics = new ApplicationMetrics() {
            @Override
            public void busResynced() {
                resyncs.incrementAndGet();
            }
        };
        try (UnreliableEventBus bus = new UnreliableEventBus(UnreliableEventBus.Fault.LOSES_EVERYTHING);
                CoreFixture nodeA = CoreFixture.create(builder -> builder.bus(bus).cache(cache).metrics(metrics));
                PhaselineCore nodeB = CoreFixture.builder(nodeA.store, nodeA.clock).build()) {
            SessionId id = nodeA.running(ALICE);
            assertThat(nodeA.queries().get(ALICE, id).version()).isEqualTo(2);
            // Node B has its own cache and bus, so node A hears nothing of its commit, as when the shared bus and
            // cache lost it: node A's entry and known version both still say 2.
            nodeB.commands().execute(CoreFixture.ADMIN, id, new SessionCommand.Pause("coffee"));
            assertThat(nodeA.queries().get(ALICE, id).version()).as("what an outage leaves behind").isEqualTo(2);

            bus.resync();

            assertThat(nodeA.queries().get(ALICE, id).status()).isEqualTo(SessionStatus.PAUSED);
            assertThat(nodeA.queries().get(ALICE, id)).isEqualTo(nodeA.stored(id));
            assertThat(resyncs.get()).isEqualTo(1);
        }
    }

    @Test
    void forgetting_every_version_leaves_no_session_with_a_known_version() {
        KnownVersions known = new KnownVersions(10);
        SessionId id = new SessionId(java.util.UUID.randomUUID());
        known.saw(id, 3);

        known.forgetAll();

        assertThat(known.newest(id)).isEqualTo(-1);
    }
}
