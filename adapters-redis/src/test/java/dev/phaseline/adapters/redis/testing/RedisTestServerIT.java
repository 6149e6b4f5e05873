package dev.phaseline.adapters.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The test server itself: the outage tests of this module and of the server trust that {@link RedisTestServer#kill()}
 * is a crash and that {@link RedisTestServer#restart()} brings an empty Redis back where the clients look for it.
 */
@Timeout(60)
class RedisTestServerIT {

    private RedisTestServer server;

    @BeforeEach
    void startLocal() {
        server = RedisTestServer.start();
        assumeTrue(server.canRestart(), "needs a local redis-server it can kill and restart");
    }

    @AfterEach
    void stopIt() {
        server.close();
    }

    @Test
    void kill_ends_redis_by_sigkill_and_restart_brings_it_back_empty_on_the_same_port() {
        URI url = server.url();
        server.command("SET", "before", "the crash");

        // kill() itself fails unless the process died of SIGKILL, so this line is the proof it was no shutdown.
        server.kill();
        assertThatThrownBy(() -> server.command("PING")).isInstanceOf(UncheckedIOException.class);

        server.restart();
        assertThat(server.url()).isEqualTo(url);
        assertThat(server.command("PING")).isEqualTo("PONG");
        assertThat(server.command("GET", "before")).as("nothing survives without persistence").isNull();
    }

    @Test
    void a_second_kill_or_a_stop_after_a_kill_does_nothing_and_restart_still_works() {
        server.kill();
        server.kill();
        server.stop();

        server.restart();
        assertThat(server.command("PING")).isEqualTo("PONG");
        server.kill();
        server.restart();
        assertThat(server.command("PING")).isEqualTo("PONG");
    }
}
