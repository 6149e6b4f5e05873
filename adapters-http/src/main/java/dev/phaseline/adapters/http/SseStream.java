package dev.phaseline.adapters.http;

import dev.phaseline.application.StreamEnd;
import dev.phaseline.application.Subscription;
import dev.phaseline.application.SubscriptionListener;
import dev.phaseline.application.port.StoredEvent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open event stream, written straight onto the servlet response (whatever the request's {@code Accept} said)
 * through the servlet's non-blocking output: no thread ever waits on the client's socket.
 *
 * <p>Threading: live events arrive on the application's fan-out thread and replayed ones on its delivery thread
 * (never two at once: the stream is {@linkplain #nonBlocking() non-blocking}, so the fan-out hands it each live
 * event in its one pass over the session's subscribers, without a task of its own), heartbeats on the adapter's timer thread, and the container calls {@link WriteListener#onWritePossible()} on one of
 * its threads when a pending write has gone out. All of them only append an encoded frame to this stream's bounded
 * queue and then drain it: whichever thread finds the stream idle writes frames while {@code isReady()} allows, the
 * others return at once (a work counter makes sure a frame added meanwhile is not left behind). When the socket is
 * full, {@code isReady()} answers false and the queue waits for the container's next {@code onWritePossible}.
 *
 * <p>The queue is bounded in bytes once the response has started (the replay the application may run in the moment
 * between subscribing and attaching the response waits whatever its size). A frame that would exceed the bound means
 * the client stopped reading (or reads slower than events come): the stream ends, the waiting frames are discarded and the response is completed while
 * its write is still pending, which makes the container abort the connection. Nothing is dropped silently: the
 * client sees the connection end and resumes with {@code Last-Event-ID}. A stream whose pending write makes no
 * progress for the write timeout is ended the same way (see {@link #checkStalled(long, long)}).
 *
 * <p>Frames are shared, immutable byte arrays (see {@link SseFrames}); on Jetty they are handed to the connection as
 * buffers wrapping those arrays, bypassing the response's aggregation buffer, so an open stream keeps no output
 * buffer of its own between events.
 */
final class SseStream implements SubscriptionListener {

    private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);

    static final byte[] PREAMBLE = "retry: 2000\n\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final boolean feed;
    private final SseStreams registry;
    private final long maxQueuedBytes;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger work = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Subscription subscription;
    private volatile ServletOutputStream out;
    /** Set once the last frame ({@code end} after a terminal event) is queued: complete once the queue is drained. */
    private volatile boolean ending;
    /** When {@code isReady()} last answered false without a write having completed since; 0 when not stalled. */
    private volatile long stalledSince;

    SseStream(HttpServletRequest request, HttpServletResponse response, boolean feed, SseStreams registry,
            int maxQueuedBytes) {
        this.request = request;
        this.response = response;
        this.feed = feed;
        this.registry = registry;
        this.maxQueuedBytes = maxQueuedBytes;
        queue.add(PREAMBLE);
        queuedBytes.set(PREAMBLE.length);
    }

    /** Completes when the stream is over; Javalin then finishes the response. */
    CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Takes over the started async request: no timeout, a client that goes away closes the subscription, and the
     * response starts with its headers and {@code retry} as soon as the container lets it write.
     *
     * @param subscription the subscription feeding this stream
     */
    void attach(Subscription subscription) {
        this.subscription = subscription;
        if (closed.get()) {
            subscription.close();
            return;
        }
        AsyncContext async = request.getAsyncContext();
        async.setTimeout(0);
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                close();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                close();
            }

            @Override
            public void onError(AsyncEvent event) {
                close();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        try {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            ServletOutputStream output = response.getOutputStream();
            output.setWriteListener(new WriteListener() {
                @Override
                public void onWritePossible() {
                    drain();
                }

                @Override
                public void onError(Throwable failure) {
                    LOG.debug("a stream's client went away", failure);
                    close();
                }
            });
            out = output;
        } catch (IOException | RuntimeException e) {
            LOG.debug("a stream could not start", e);
            close();
            return;
        }
        drain();
    }

    @Override
    public void onEvent(StoredEvent event) {
        enqueue(SseFrames.event(event, feed));
    }

    /** Only queues a shared frame and writes what the socket takes now: the application may call it on its fan-out. */
    @Override
    public boolean nonBlocking() {
        return true;
    }

    /**
     * A replay from the log goes on only while less than half the queue bound waits, so a long backlog reaches a
     * reconnecting client at its own pace instead of overflowing the queue; live events do not ask.
     */
    @Override
    public boolean ready() {
        return !closed.get() && queuedBytes.get() < maxQueuedBytes / 2;
    }

    @Override
    public void onEnd(StreamEnd end) {
        if (end.reason() == StreamEnd.Reason.TERMINAL) {
            if (enqueue(SseFrames.end(end.status()))) {
                ending = true;
                drain();
            }
            return;
        }
        close();
    }

    /** Queues a heartbeat comment unless frames are waiting anyway (which shows the stream is busy). */
    void ping() {
        if (!closed.get() && out != null && queue.isEmpty()) {
            enqueue(PING);
        }
    }

    /**
     * Cuts the stream off if its pending write has made no progress for longer than the timeout: the client stopped
     * reading and no further event came to overflow the queue.
     *
     * @param now          {@link System#nanoTime()}
     * @param timeoutNanos the write timeout
     */
    void checkStalled(long now, long timeoutNanos) {
        long since = stalledSince;
        if (since != 0 && now - since > timeoutNanos && !closed.get()) {
            LOG.debug("a stream's client took nothing for too long; cutting it off");
            close();
        }
    }

    /** Ends the stream for shutdown: the client resumes elsewhere or later. */
    void shutdown() {
        close();
    }

    /** @return whether a write is pending because the client's socket takes nothing right now */
    boolean isStalled() {
        return stalledSince != 0 && !closed.get();
    }

    boolean isClosed() {
        return closed.get();
    }

    /** @return the bytes of frames waiting for the client */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /**
     * Appends a frame and writes if the stream is idle; never waits.
     *
     * @return whether the frame was queued (false when closed or when the queue overflowed and the stream ended)
     */
    private boolean enqueue(byte[] frame) {
        if (closed.get() || ending) {
            return false;
        }
        long queued = queuedBytes.addAndGet(frame.length);
        // Before the response has started, what the application replays while the stream is being set up waits
        // whatever its size; from then on the bound holds.
        if (queued > maxQueuedBytes && queued != frame.length && out != null) {
            LOG.debug("a stream's client does not keep up ({} bytes waiting); ending it", queued - frame.length);
            close();
            return false;
        }
        queue.add(frame);
        drain();
        return true;
    }

    /** Writes while the output is ready; one thread at a time, any thread may call it. */
    private void drain() {
        if (work.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            writeReady();
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }

    private void writeReady() {
        ServletOutputStream output = out;
        if (output == null || closed.get()) {
            return;
        }
        try {
            while (true) {
                if (!output.isReady()) {
                    if (stalledSince == 0) {
                        stalledSince = System.nanoTime() | 1;
                    }
                    return;
                }
                stalledSince = 0;
                byte[] frame = queue.poll();
                if (frame == null) {
                    if (ending) {
                        // The end frame went out completely: finish the response normally.
                        close();
                    }
                    return;
                }
                long left = queuedBytes.addAndGet(-frame.length);
                if (closed.get()) {
                    return;
                }
                write(output, frame);
                Subscription current = subscription;
                if (current != null && left < maxQueuedBytes / 4) {
                    // Below the low-water mark: let a replay that waited for this stream go on.
                    current.demand();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("a stream's client went away", e);
            close();
        }
    }

    /** Hands one frame to the container; it goes out at once or completes later, signalled by onWritePossible. */
    private static void write(ServletOutputStream output, byte[] frame) throws IOException {
        if (output instanceof HttpOutput jetty) {
            // A buffer bypasses the response's aggregation buffer: nothing is copied, no buffer is kept per stream.
            jetty.write(ByteBuffer.wrap(frame));
        } else {
            output.write(frame);
            if (output.isReady()) {
                output.flush();
            }
        }
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.clear();
        Subscription current = subscription;
        if (current != null) {
            current.close();
        }
        registry.remove(this);
        // Javalin now completes the async request; with a write still pending the container aborts the connection.
        done.complete(null);
    }
}
