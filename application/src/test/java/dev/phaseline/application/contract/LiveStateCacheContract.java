package dev.phaseline.application.contract;

import static dev.phaseline.application.contract.ContractFixtures.assertSameSession;
import static dev.phaseline.application.contract.ContractFixtures.at;
import static dev.phaseline.application.contract.ContractFixtures.created;
import static dev.phaseline.application.contract.ContractFixtures.newId;
import static dev.phaseline.application.contract.ContractFixtures.newTenant;
import static dev.phaseline.application.contract.ContractFixtures.richJourney;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LiveStateCache} must do: keep a session exactly, and never let an older or equal version replace
 * the cached one, whatever order concurrent writers arrive in.
 *
 * <p>A subclass supplies an empty cache for each test through {@link #newCache()}. The suite never waits for an
 * entry to expire, so any TTL of a few minutes or more is fine.
 */
public abstract class LiveStateCacheContract {

    private static final int WRITERS = 8;
    private static final int ROUNDS = 150;
    private static final int SESSIONS = 3;
    private static final int VERSIONS = 40;

    private LiveStateCache cache;

    /**
     * Called before each test.
     *
     * @return a cache holding no entry that any other test can see
     */
    protected abstract LiveStateCache newCache();

    @BeforeEach
    void openCacheUnderTest() {
        cache = newCache();
    }

    @Test
    void an_empty_cache_has_no_entry() {
        assertThat(cache.get(newId())).isEmpty();
    }

    @Test
    void a_put_session_is_returned_by_get_with_every_field() {
        List<Transition> journey = richJourney(newId(), newTenant());
        Session rich = journey.get(journey.size() - 1).session();

        assertThat(cache.put(rich)).isTrue();

        assertSameSession(cache.get(rich.id()).orElseThrow(), rich);
    }

    @Test
    void a_finished_session_is_returned_with_its_result_and_failure() {
        Session completed = created(newId(), newTenant(), at(0)).session().start(at(1)).session()
                .complete(ContractFixtures.richJson(), at(2)).session();
        Session failed = created(newId(), newTenant(), at(0)).session().fail("boom", "it\nbroke", at(1)).session();

        cache.put(completed);
        cache.put(failed);

        assertSameSession(cache.get(completed.id()).orElseThrow(), completed);
        assertSameSession(cache.get(failed.id()).orElseThrow(), failed);
    }

    @Test
    void an_older_version_is_refused_and_the_newer_kept() {
        List<Session> versions = versionsOfOneSession(3);

        assertThat(cache.put(versions.get(2))).isTrue();
        assertThat(cache.put(versions.get(1))).isFalse();
        assertThat(cache.put(versions.get(0))).isFalse();

        assertSameSession(cache.get(versions.get(0).id()).orElseThrow(), versions.get(2));
    }

    @Test
    void the_same_version_is_refused_and_the_cached_one_kept() {
        Session running = versionsOfOneSession(2).get(1);
        Session sameVersionLaterHeartbeat = running.heartbeat(at(50));

        assertThat(cache.put(running)).isTrue();
        assertThat(cache.put(sameVersionLaterHeartbeat)).isFalse();

        assertSameSession(cache.get(running.id()).orElseThrow(), running);
    }

    @Test
    void a_newer_version_replaces_the_entry() {
        List<Session> versions = versionsOfOneSession(3);

        assertThat(cache.put(versions.get(0))).isTrue();
        assertThat(cache.put(versions.get(2))).isTrue();

        assertSameSession(cache.get(versions.get(0).id()).orElseThrow(), versions.get(2));
    }

    @Test
    void remove_drops_the_entry_so_any_version_may_be_put_again() {
        List<Session> versions = versionsOfOneSession(3);
        cache.put(versions.get(2));

        cache.remove(versions.get(2).id());

        assertThat(cache.get(versions.get(2).id())).isEmpty();
        assertThat(cache.put(versions.get(0))).isTrue();
        assertSameSession(cache.get(versions.get(0).id()).orElseThrow(), versions.get(0));
    }

    @Test
    void removing_an_absent_entry_is_harmless() {
        cache.remove(newId());

        assertThat(cache.get(newId())).isEmpty();
    }

    @Test
    void entries_of_different_sessions_are_independent() {
        List<Session> first = versionsOfOneSession(3);
        List<Session> second = versionsOfOneSession(2);

        assertThat(cache.put(first.get(2))).isTrue();
        assertThat(cache.put(second.get(0))).isTrue();
        cache.remove(first.get(2).id());

        assertThat(cache.get(first.get(0).id())).isEmpty();
        assertSameSession(cache.get(second.get(0).id()).orElseThrow(), second.get(0));
    }

    @Test
    void concurrent_writers_of_random_versions_leave_the_highest_version_written() throws Exception {
        List<List<Session>> sessions = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            sessions.add(versionsOfOneSession(VERSIONS));
        }
        long[][] highestWritten = new long[WRITERS][SESSIONS];
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                final int writer = w;
                writers.add(pool.submit(() -> {
                    go.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int round = 0; round < ROUNDS; round++) {
                        int s = random.nextInt(SESSIONS);
                        Session version = sessions.get(s).get(random.nextInt(VERSIONS));
                        cache.put(version);
                        highestWritten[writer][s] = Math.max(highestWritten[writer][s], version.version());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> writer : writers) {
                finish(writer);
            }
        } finally {
            pool.shutdownNow();
        }

        for (int s = 0; s < SESSIONS; s++) {
            long highest = 0;
            for (long[] byWriter : highestWritten) {
                highest = Math.max(highest, byWriter[s]);
            }
            Session expected = sessions.get(s).get((int) highest - 1);
            assertSameSession(cache.get(expected.id()).orElseThrow(), expected);
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** @return versions 1..count of one session: created, running, then custom events */
    private static List<Session> versionsOfOneSession(int count) {
        List<Session> versions = new ArrayList<>();
        Session session = created(newId(), newTenant(), at(0)).session();
        versions.add(session);
        for (int version = 2; version <= count; version++) {
            session = version == 2 ? session.start(at(1)).session()
                    : session.appendEvent("agent_thinking", JsonValue.object(Map.of("v", JsonValue.of(version))),
                            at(version)).session();
            versions.add(session);
        }
        return versions;
    }

    private static void finish(Future<?> writer) throws InterruptedException {
        try {
            writer.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("a writer failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a writer did not finish within 60 s", e);
        }
    }
}
