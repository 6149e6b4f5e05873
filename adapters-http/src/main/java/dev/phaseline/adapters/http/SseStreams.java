package dev.phaseline.adapters.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open streams of this adapter: sends their heartbeats, cuts off those whose client stopped reading, and ends
 * them all on shutdown. Heartbeats and the watchdog run on separate threads, so a heartbeat stuck on a dead socket
 * is itself cut off.
 */
final class SseStreams implements AutoCloseable {

    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeats;
    private final ScheduledExecutorService watchdog;

    SseStreams(Duration heartbeat, Duration writeTimeout) {
        heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("phaseline-sse-heartbeat"));
        watchdog = Executors.newSingleThreadScheduledExecutor(daemon("phaseline-sse-watchdog"));
        long every = heartbeat.toMillis();
        heartbeats.scheduleWithFixedDelay(() -> open.forEach(SseStream::ping), every, every, TimeUnit.MILLISECONDS);
        long timeoutNanos = SseStream.nanos(writeTimeout);
        long check = Math.max(50, Math.min(1000, writeTimeout.toMillis() / 4));
        watchdog.scheduleWithFixedDelay(() -> open.forEach(stream -> stream.checkStuck(timeoutNanos)), check, check,
                TimeUnit.MILLISECONDS);
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

    /** Ends every open stream and stops the threads. */
    @Override
    public void close() {
        open.forEach(SseStream::shutdown);
        heartbeats.shutdownNow();
        watchdog.shutdownNow();
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
