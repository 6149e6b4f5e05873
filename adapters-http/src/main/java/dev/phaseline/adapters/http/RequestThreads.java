package dev.phaseline.adapters.http;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The size of the standalone server's request thread pool.
 *
 * <p>A request holds a thread only while it runs: an open event stream holds none, and a request that needs the store
 * waits for one of the pool's connections. Threads beyond the connections and a few per core for the rest (cache
 * reads, handshakes, Jetty's selector and acceptor) only queue up. Javalin's default of 250 is reached in a burst of
 * stream handshakes, and each of those threads keeps its stack, about 100 KB touched, resident for a minute after:
 * at 19,000 open streams that was more than 1 KB of resident memory per stream.
 */
final class RequestThreads {

    /** Idle threads above the minimum end after this long (Javalin's default). */
    static final int IDLE_TIMEOUT_MS = 60_000;
    /** Threads kept when idle (Javalin's default). */
    static final int MIN_THREADS = 8;

    private RequestThreads() {
    }

    /**
     * @param storeConnections the store's connection pool size, at least 1
     * @param cores            the processors available, at least 1
     * @return the most threads the server may run requests on
     */
    static int max(int storeConnections, int cores) {
        if (storeConnections < 1 || cores < 1) {
            throw new IllegalArgumentException("storeConnections and cores must be positive, were " + storeConnections
                    + " and " + cores);
        }
        // Twice the connections, so a request can be parsed and answered while others hold them; eight per core
        // covers Jetty's own leases (an acceptor and a selector per two cores, reserved threads) with room to spare.
        return 2 * storeConnections + 8 * cores;
    }

    static QueuedThreadPool pool(int storeConnections, int cores) {
        QueuedThreadPool pool = new QueuedThreadPool(max(storeConnections, cores), MIN_THREADS, IDLE_TIMEOUT_MS);
        pool.setName("JettyServerThreadPool");
        return pool;
    }
}
