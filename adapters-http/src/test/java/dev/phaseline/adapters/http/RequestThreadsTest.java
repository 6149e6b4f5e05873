package dev.phaseline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

class RequestThreadsTest {

    @Test
    void the_pool_grows_to_twice_the_store_connections_plus_eight_threads_per_core() {
        assertThat(RequestThreads.max(10, 2)).isEqualTo(36);
        assertThat(RequestThreads.max(16, 2)).isEqualTo(48);
        assertThat(RequestThreads.max(10, 64)).isEqualTo(532);
    }

    @Test
    void the_pool_keeps_javalins_minimum_idle_timeout_and_thread_names() {
        QueuedThreadPool pool = RequestThreads.pool(4, 2);

        assertThat(pool.getMaxThreads()).isEqualTo(24);
        assertThat(pool.getMinThreads()).isEqualTo(8);
        assertThat(pool.getIdleTimeout()).isEqualTo(60_000);
        assertThat(pool.getName()).isEqualTo("JettyServerThreadPool");
    }

    @Test
    void a_pool_without_connections_or_cores_is_refused() {
        assertThatThrownBy(() -> RequestThreads.max(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storeConnections and cores must be positive");
        assertThatThrownBy(() -> RequestThreads.max(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
