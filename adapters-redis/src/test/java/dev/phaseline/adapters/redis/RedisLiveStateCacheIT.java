package dev.phaseline.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.phaseline.adapters.redis.testing.RedisTestServer;
import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.domain.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Redis cache does beyond the contract: how it stores entries, their TTL, flushes and corrupt entries. */
class RedisLiveStateCacheIT {

    private static final Duration TTL = Duration.ofHours(2);

    private static RedisTestServer server;
    private static RedisAdapter adapter;
    private static String prefix;

    private LiveStateCache cache;

    @BeforeAll
    static void connect() {
        server = RedisTestServer.start();
        prefix = "cache-" + UUID.randomUUID() + ":";
        adapter = RedisAdapter.connect(RedisSettings.of(server.url()).withKeyPrefix(prefix).withCacheTtl(TTL));
    }

    @AfterAll
    static void disconnect() {
        adapter.close();
        server.close();
    }

    @BeforeEach
    void useTheAdaptersCache() {
        cache = adapter.cache();
    }

    @Test
    void an_entry_is_one_hash_per_session_under_the_prefix_holding_version_and_state() {
        Session session = Sessions.rich();

        cache.put(session);

        String key = prefix + "session:" + session.id();
        assertThat(server.command("TYPE", key)).isEqualTo("hash");
        assertThat(server.command("HGET", key, "v")).isEqualTo(Long.toString(session.version()));
        assertThat(server.command("HGET", key, "s")).isEqualTo(RedisJson.sessionToJson(session));
    }

    @Test
    void a_write_sets_the_configured_ttl_and_a_newer_write_renews_it() {
        List<Session> versions = Sessions.versions(2);
        String key = prefix + "session:" + versions.get(0).id();

        cache.put(versions.get(0));
        server.command("PEXPIRE", key, "60000");
        cache.put(versions.get(1));

        long ttl = Long.parseLong(server.command("PTTL", key));
        assertThat(ttl).isBetween(TTL.toMillis() - 60_000, TTL.toMillis());
    }

    @Test
    void a_refused_write_leaves_the_entry_and_its_ttl_alone() {
        List<Session> versions = Sessions.versions(2);
        String key = prefix + "session:" + versions.get(0).id();
        cache.put(versions.get(1));
        server.command("PEXPIRE", key, "60000");

        assertThat(cache.put(versions.get(0))).isFalse();

        assertThat(Long.parseLong(server.command("PTTL", key))).isLessThanOrEqualTo(60_000);
        assertThat(cache.get(versions.get(0).id())).contains(versions.get(1));
    }

    @Test
    void an_entry_expires_after_a_short_ttl() {
        try (RedisAdapter shortLived = RedisAdapter.connect(RedisSettings.of(server.url())
                .withKeyPrefix("short-" + UUID.randomUUID() + ":").withCacheTtl(Duration.ofSeconds(1)))) {
            Session session = Sessions.rich();
            assertThat(shortLived.cache().put(session)).isTrue();
            assertThat(shortLived.cache().get(session.id())).isPresent();

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> shortLived.cache().get(session.id()).isEmpty());

            assertThat(shortLived.cache().put(session)).as("any version may be written once expired").isTrue();
        }
    }

    @Test
    void after_flushall_every_read_misses_and_later_writes_work() {
        assertFlushedCacheWorksAgain(server::flushAll);
    }

    @Test
    void after_the_scripts_are_flushed_the_guard_is_loaded_again() {
        assertFlushedCacheWorksAgain(() -> {
            server.flushAll();
            server.command("SCRIPT", "FLUSH");
        });
    }

    private void assertFlushedCacheWorksAgain(Runnable flush) {
        List<Session> versions = Sessions.versions(3);
        Session other = Sessions.rich();
        cache.put(versions.get(2));
        cache.put(other);

        flush.run();

        assertThat(cache.get(versions.get(2).id())).isEmpty();
        assertThat(cache.get(other.id())).isEmpty();
        assertThat(cache.put(versions.get(0))).isTrue();
        assertThat(cache.put(versions.get(1))).isTrue();
        assertThat(cache.put(versions.get(0))).isFalse();
        assertThat(cache.get(versions.get(0).id())).contains(versions.get(1));
    }

    @Test
    void an_undecodable_entry_reads_as_a_miss_and_is_replaced_by_the_next_write() {
        Session session = Sessions.rich();
        String key = prefix + "session:" + session.id();
        server.command("HSET", key, "v", "999", "s", "{\"id\": not json");

        assertThat(cache.get(session.id())).isEmpty();

        assertThat(cache.put(session)).isTrue();
        assertThat(cache.get(session.id())).contains(session);
    }

    @Test
    void an_entry_with_a_valid_but_broken_session_reads_as_a_miss() {
        Session session = Sessions.rich();
        String key = prefix + "session:" + session.id();
        String broken = RedisJson.sessionToJson(session).replace("\"status\":\"paused\"", "\"status\":\"running\"");
        server.command("HSET", key, "v", "3", "s", broken);

        assertThat(cache.get(session.id())).isEmpty();
    }

    @Test
    void an_entry_of_another_session_under_the_key_reads_as_a_miss() {
        Session session = Sessions.rich();
        Session other = Sessions.rich();
        server.command("HSET", prefix + "session:" + session.id(), "v", "1", "s", RedisJson.sessionToJson(other));

        assertThat(cache.get(session.id())).isEmpty();
    }

    @Test
    void a_key_of_the_wrong_type_reads_as_a_miss_and_is_replaced_by_the_next_write() {
        Session session = Sessions.rich();
        server.command("SET", prefix + "session:" + session.id(), "garbage");

        assertThat(cache.get(session.id())).isEmpty();

        assertThat(cache.put(session)).isTrue();
        assertThat(cache.get(session.id())).contains(session);
    }

    @Test
    void concurrent_writers_never_have_an_older_version_accepted_after_a_newer_one() throws Exception {
        int writers = 8;
        int rounds = 300;
        List<Session> versions = Sessions.versions(50);
        ConcurrentLinkedQueue<long[]> accepted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> attempted = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int round = 0; round < rounds; round++) {
                        Session version = versions.get(random.nextInt(versions.size()));
                        long started = System.nanoTime();
                        boolean written = cache.put(version);
                        long ended = System.nanoTime();
                        long[] record = {version.version(), started, ended};
                        attempted.add(record);
                        if (written) {
                            accepted.add(record);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long highest = attempted.stream().mapToLong(r -> r[0]).max().orElseThrow();
        assertThat(cache.get(versions.get(0).id())).contains(versions.get((int) highest - 1));
        for (long[] newer : accepted) {
            for (long[] older : accepted) {
                boolean startedAfterNewerReturned = older[1] > newer[2];
                if (startedAfterNewerReturned) {
                    assertThat(older[0]).as("a version accepted after version %d was accepted", newer[0])
                            .isGreaterThan(newer[0]);
                }
            }
        }
        assertThat(accepted.stream().mapToLong(r -> r[0]).distinct().count())
                .as("each version is accepted at most once").isEqualTo(accepted.size());
    }
}
