package dev.phaseline.adapters.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open streams of this adapter: sends their heartbeats, cuts off those whose pending write has made no progress
 * for the write timeout, and ends them all on shutdown. Both jobs share one timer thread: writes never block, so
 * neither job can get stuck on a socket. No thread is held per stream.
 */
final class SseStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SseStreams.class);

    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    SseStreams(Duration heartbeat, Duration writeTimeout) {
        timer = Executors.newSingleThreadScheduledExecutor(daemon("phaseline-sse-timer"));
        long every = heartbeat.toMillis();
        timer.scheduleWithFixedDelay(() -> open.forEach(stream -> safely(stream::ping)), every, every,
                TimeUnit.MILLISECONDS);
        long timeoutNanos = writeTimeout.toNanos();
        long check = Math.max(50, Math.min(1000, writeTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            open.forEach(stream -> safely(() -> stream.checkStalled(now, timeoutNanos)));
        }, check, check, TimeUnit.MILLISECONDS);
    }

    void add(SseStream stream) {
        open.add(stream);
        if (stream.isClosed()) {
            open.remove(stream);
        }
    }

    void remove(SseStream stream) {
        open.remove(stream);
    }

    int size() {
        return open.size();
    }

    /** @return the open streams whose write is pending because their client takes nothing right now */
    int stalled() {
        return (int) open.stream().filter(SseStream::isStalled).count();
    }

    /** Ends every open stream and stops the threads. */
    @Override
    public void close() {
        open.forEach(SseStream::shutdown);
        timer.shutdownNow();
    }

    /** A failure on one stream must neither stop the timer nor skip the other streams. */
    private static void safely(Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            LOG.debug("a stream's timer job failed", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
