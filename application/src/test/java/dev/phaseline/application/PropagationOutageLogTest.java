package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.phaseline.application.inprocess.InProcessLiveStateCache;
import dev.phaseline.application.port.ApplicationMetrics;
import dev.phaseline.application.port.LiveStateCache;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A port that stays down is counted on every failure, but logged in full once, then summarised once a minute. */
class PropagationOutageLogTest {

    private static final Principal ALICE = user("alice", "acme");

    private final Logger logger = (Logger) LoggerFactory.getLogger(Propagation.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
        logger.setLevel(levelBefore);
    }

    @Test
    void an_outage_logs_its_first_failure_with_the_trace_then_a_summary_a_minute_and_the_recovery() {
        SwitchableCache cache = new SwitchableCache();
        AtomicInteger cacheFailures = new AtomicInteger();
        ApplicationMetrics metrics = new ApplicationMetrics() {
            @Override
            public void portFailed(String port) {
                if (port.equals("cache")) {
                    cacheFailures.incrementAndGet();
                }
            }
        };
        try (CoreFixture fixture = CoreFixture.create(builder -> builder.cache(cache).metrics(metrics))) {
            SessionId id = fixture.running(ALICE);
            cache.down = true;

            fixture.appendEvents(id, 5);

            assertThat(cacheFailures).hasValue(5);
            assertThat(warnings()).hasSize(1);
            assertThat(warnings().get(0).getFormattedMessage()).startsWith("could not cache session " + id);
            assertThat(warnings().get(0).getThrowableProxy()).isNotNull();

            fixture.clock.advance(Duration.ofSeconds(59));
            fixture.appendEvents(id, 1);
            assertThat(warnings()).as("within the minute").hasSize(1);

            fixture.clock.advance(Duration.ofSeconds(1));
            fixture.appendEvents(id, 3);
            assertThat(cacheFailures).hasValue(9);
            assertThat(warnings()).hasSize(2);
            assertThat(warnings().get(1).getFormattedMessage())
                    .startsWith("cache still failing: 7 failures since 2030-01-01T00:00:00Z");
            assertThat(warnings().get(1).getThrowableProxy()).isNull();

            cache.down = false;
            fixture.appendEvents(id, 2);
            assertThat(logged.list).last().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage()).startsWith("cache works again after 9 failures");
            });

            cache.down = true;
            fixture.appendEvents(id, 1);
            assertThat(warnings()).as("a new outage is logged in full again").hasSize(3);
            assertThat(warnings().get(2).getThrowableProxy()).isNotNull();
        }
    }

    private List<ILoggingEvent> warnings() {
        return logged.list.stream().filter(event -> event.getLevel() == Level.WARN).toList();
    }

    /** The in-process cache, or a failure on every write while {@link #down}. */
    private static final class SwitchableCache implements LiveStateCache {
        private final InProcessLiveStateCache working = new InProcessLiveStateCache();
        volatile boolean down;

        @Override
        public Optional<Session> get(SessionId id) {
            return working.get(id);
        }

        @Override
        public boolean put(Session session) {
            if (down) {
                throw new IllegalStateException("cache unreachable");
            }
            return working.put(session);
        }

        @Override
        public void remove(SessionId id) {
            working.remove(id);
        }
    }
}
