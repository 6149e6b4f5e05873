package dev.phaseline.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.CreateSession;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.application.port.StoreUnavailableException;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.PhaselineException;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * F18: PostgreSQL stops mid-run. Commands fail with the application's unavailable error and nothing is half-written;
 * once PostgreSQL is back, the same store works without being rebuilt.
 */
class PostgresOutageIT {

    private final Principal alice = Principal.of("alice", "t1", Role.USER);
    private final Principal worker = Principal.of("w", "t1", Role.WORKER);

    @Test
    void commands_fail_as_unavailable_while_postgresql_is_down_and_work_again_after_it_restarts() throws Exception {
        Path dataDirectory = Files.createTempDirectory("phaseline-outage");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedPostgres postgres = start(dataDirectory, port);
        PostgresSettings settings = PostgresSettings.of(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null)
                .withPoolSize(4).withConnectionTimeout(Duration.ofSeconds(1));
        Map<SessionId, Long> acknowledged = new ConcurrentHashMap<>();
        try (PostgresAdapter adapter = PostgresAdapter.start(settings);
                PhaselineCore core = PhaselineCore.builder().store(adapter.sessionStore())
                        .eventLog(adapter.eventLog()).sweepInterval(Duration.ZERO).build()) {
            List<SessionId> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Session s = core.commands().create(alice, new CreateSession(null, "outage", null)).session();
                ids.add(s.id());
                acknowledged.put(s.id(), core.commands().execute(alice, s.id(), new SessionCommand.Start())
                        .session().version());
            }

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger unavailable = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(ids.size());
            List<Future<?>> futures = new ArrayList<>();
            for (SessionId id : ids) {
                futures.add(writers.submit(() -> {
                    while (running.get()) {
                        try {
                            long version = core.commands().execute(worker, id,
                                    new SessionCommand.AppendEvent("agent_thinking", null)).session().version();
                            acknowledged.merge(id, version, Math::max);
                        } catch (PhaselineException e) {
                            assertThat(e.code()).isEqualTo(StoreUnavailableException.CODE);
                            unavailable.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(500);
            postgres.close();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> unavailable.get() >= 4);

            assertThatThrownBy(() -> core.commands().execute(worker, ids.get(0),
                    new SessionCommand.AppendEvent("agent_thinking", null)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .extracting(e -> ((PhaselineException) e).code()).isEqualTo("unavailable");
            assertThatThrownBy(() -> adapter.sessionStore().find(ids.get(0)))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> adapter.eventLog().readSession(ids.get(0), 0, 10))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(adapter.isReady()).isFalse();
            running.set(false);
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
            writers.shutdown();

            postgres = start(dataDirectory, port);
            Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(
                    StoreUnavailableException.class).until(() -> core.commands().execute(worker, ids.get(0),
                            new SessionCommand.AppendEvent("back", null)).session().version() > 0);
            assertThat(adapter.isReady()).isTrue();

            for (SessionId id : ids) {
                Session stored = adapter.sessionStore().find(id).orElseThrow();
                assertThat(stored.version()).isGreaterThanOrEqualTo(acknowledged.get(id));
                List<StoredEvent> history = adapter.eventLog().readSession(id, 0, 100_000);
                assertThat(history).hasSize((int) stored.version());
                for (int i = 0; i < history.size(); i++) {
                    assertThat(history.get(i).seq()).isEqualTo(i + 1L);
                }
            }
        } finally {
            postgres.close();
        }
    }

    private static EmbeddedPostgres start(Path dataDirectory, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
                .start();
    }
}
