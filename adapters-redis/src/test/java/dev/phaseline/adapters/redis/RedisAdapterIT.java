package dev.phaseline.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.adapters.redis.testing.RedisTestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting and stopping the adapter. */
class RedisAdapterIT {

    @Test
    void connecting_to_an_unreachable_redis_fails_fast_naming_the_url_without_its_password() throws IOException {
        int port = unusedPort();
        URI url = URI.create("redis://:s3cret@127.0.0.1:" + port);
        long started = System.nanoTime();

        assertThatThrownBy(() -> RedisAdapter.connect(RedisSettings.of(url)))
                .isInstanceOf(RedisStartupException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageNotContaining("s3cret");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void an_unreachable_redis_is_not_reported_as_a_timeout() throws IOException {
        int port = unusedPort();

        assertThatThrownBy(() -> RedisAdapter.connect(RedisSettings.of(URI.create("redis://127.0.0.1:" + port))))
                .isInstanceOfSatisfying(RedisStartupException.class, e -> assertThat(e.timedOut()).isFalse());
    }

    /**
     * A wrong password will not be cured by trying again: the failure says so. (Its message names Redis's reply,
     * WRONGPASS, when Lettuce passes the reply on; one run in about a hundred got only Lettuce's "Unable to connect",
     * so the message is not asserted beyond the URL.)
     */
    @Test
    void a_refused_password_fails_not_as_a_timeout_and_without_showing_the_password() {
        try (RedisTestServer server = RedisTestServer.start()) {
            // The default user takes any password; a user with one of its own does not.
            server.command("ACL", "SETUSER", "guarded", "on", ">the-password", "~*", "+@all");
            URI wrong = URI.create("redis://guarded:not-the-password@" + server.url().getHost() + ":"
                    + server.url().getPort());
            try {
                assertThatThrownBy(() -> RedisAdapter.connect(RedisSettings.of(wrong)))
                        .isInstanceOfSatisfying(RedisStartupException.class, e -> {
                            assertThat(e.timedOut()).isFalse();
                            assertThat(e.getMessage()).contains("127.0.0.1:" + server.url().getPort())
                                    .doesNotContain("not-the-password");
                        });
            } finally {
                server.command("ACL", "DELUSER", "guarded"); // an external server outlives the test
            }
        }
    }

    @Test
    void a_connected_adapter_answers_ping_and_a_closed_one_does_not() {
        try (RedisTestServer server = RedisTestServer.start()) {
            RedisAdapter adapter = RedisAdapter.connect(RedisSettings.of(server.url()));
            assertThat(adapter.ping()).isTrue();

            adapter.close();
            adapter.close();

            assertThat(adapter.ping()).isFalse();
        }
    }

    @Test
    void closing_the_adapter_closes_its_bus() {
        try (RedisTestServer server = RedisTestServer.start();
                RedisAdapter adapter = RedisAdapter.connect(RedisSettings.of(server.url()))) {
            adapter.close();

            assertThatThrownBy(() -> adapter.bus().publish(List.of())).isInstanceOf(IllegalStateException.class);
        }
    }

    /** @return a loopback port nothing listens on (it was free a moment ago) */
    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
