package dev.phaseline.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many users of several tenants stream at once: nobody receives another user's or tenant's events. */
class TenantIsolationTest {

    private static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final int USERS_PER_TENANT = 4;
    private static final int SESSIONS_PER_USER = 2;
    private static final int EVENTS_PER_SESSION = 25;

    private final CoreFixture fixture = CoreFixture.create();

    @AfterEach
    void closeCore() {
        fixture.close();
    }

    private record OpenStream(Principal user, SessionId session, RecordingListener listener) {
    }

    @Test
    void many_users_of_several_tenants_streaming_at_once_receive_only_their_own_events() throws Exception {
        Map<SessionId, Principal> owners = new LinkedHashMap<>();
        for (String tenant : TENANTS) {
            for (int u = 0; u < USERS_PER_TENANT; u++) {
                // The same user id in every tenant: a user id alone must never grant access.
                Principal user = CoreFixture.user("user" + u, tenant);
                for (int s = 0; s < SESSIONS_PER_USER; s++) {
                    owners.put(fixture.running(user), user);
                }
            }
        }
        List<OpenStream> streams = new ArrayList<>();
        owners.forEach((id, user) -> {
            RecordingListener listener = new RecordingListener();
            fixture.subscriptions().subscribe(user, id, 0, listener);
            streams.add(new OpenStream(user, id, listener));
        });
        Map<String, RecordingListener> feeds = new LinkedHashMap<>();
        for (String tenant : TENANTS) {
            RecordingListener feed = new RecordingListener();
            fixture.subscriptions().subscribeFeed(CoreFixture.support(tenant), 0, Set.of(), feed);
            feeds.put(tenant, feed);
        }

        // One worker per tenant drives all of its tenant's sessions at once.
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (String tenant : TENANTS) {
            Principal worker = CoreFixture.worker(tenant);
            List<SessionId> ofTenant = owners.keySet().stream()
                    .filter(id -> owners.get(id).tenantId().equals(tenant)).toList();
            workers.add(CompletableFuture.runAsync(() -> {
                for (int n = 0; n < EVENTS_PER_SESSION; n++) {
                    for (SessionId id : ofTenant) {
                        fixture.commands().execute(worker, id, CoreFixture.appendEvent(n));
                    }
                }
                ofTenant.forEach(id -> fixture.commands().execute(worker, id, new SessionCommand.Complete(null)));
            }));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        long last = 2L + EVENTS_PER_SESSION + 1;
        for (OpenStream stream : streams) {
            assertThat(stream.listener().awaitEnd().status()).isEqualTo(SessionStatus.COMPLETED);
            assertThat(stream.listener().events()).allSatisfy(event -> {
                assertThat(event.sessionId()).isEqualTo(stream.session());
                assertThat(event.tenantId()).isEqualTo(stream.user().tenantId());
            });
            assertThat(stream.listener().seqs()).containsExactlyElementsOf(RecordingListener.seqsBetween(1, last));
            stream.listener().assertWellBehaved();
        }
        for (String tenant : TENANTS) {
            int tenantEvents = USERS_PER_TENANT * SESSIONS_PER_USER * (int) last;
            RecordingListener feed = feeds.get(tenant);
            feed.awaitCount(tenantEvents);
            assertThat(feed.events()).extracting(StoredEvent::tenantId).containsOnly(tenant);
        }
    }

    @Test
    void sessions_of_other_users_and_tenants_answer_not_found_to_every_read_and_stream() {
        Principal alice = CoreFixture.user("alice", "acme");
        Principal bob = CoreFixture.user("bob", "acme");
        Principal aliceElsewhere = CoreFixture.user("alice", "globex");
        SessionId alices = fixture.running(alice);

        for (Principal intruder : List.of(bob, aliceElsewhere, CoreFixture.support("globex"),
                CoreFixture.worker("globex"))) {
            assertThatThrownBy(() -> fixture.queries().get(intruder, alices))
                    .as("%s reads", intruder).isInstanceOf(SessionNotFoundException.class);
            assertThatThrownBy(() -> fixture.queries().history(intruder, alices, 0, 10))
                    .as("%s reads history", intruder).isInstanceOf(SessionNotFoundException.class);
            assertThatThrownBy(() -> fixture.subscriptions().subscribe(intruder, alices, 0, new RecordingListener()))
                    .as("%s streams", intruder).isInstanceOf(SessionNotFoundException.class);
            assertThatThrownBy(() -> fixture.commands().execute(intruder, alices, new SessionCommand.Kill(null)))
                    .as("%s kills", intruder).isInstanceOf(SessionNotFoundException.class);
            assertThat(fixture.queries().list(intruder, ListSessions.firstPage()).items())
                    .as("%s lists", intruder).extracting(session -> session.id()).doesNotContain(alices);
        }
        assertThat(fixture.core.openSubscriptions()).isZero();
        assertThat(fixture.stored(alices).status()).isEqualTo(SessionStatus.RUNNING);
    }
}
