package dev.phaseline.adapters.http;

import dev.phaseline.application.StreamEnd;
import dev.phaseline.application.Subscription;
import dev.phaseline.application.SubscriptionListener;
import dev.phaseline.application.port.StoredEvent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open event stream, written straight onto the servlet response (whatever the request's {@code Accept} said).
 *
 * <p>Threading: events arrive on the application's delivery thread for this subscription (never two at once),
 * heartbeats on the adapter's heartbeat thread. Every write, with its flush, happens under this stream's own lock,
 * so frames never interleave. Each event is encoded once to bytes before the lock is taken. A write that blocks
 * longer than the write timeout (a client that stopped reading while the socket buffers are full) is cut off by the
 * watchdog, which closes the connection's endpoint without taking the lock; the blocked write then fails, the
 * subscription is closed and the delivery thread is free again. The client resumes with {@code Last-Event-ID}.
 *
 * <p>A non-blocking path would instead append the encoded frames to a bounded per-stream byte queue on the delivery
 * thread and let a servlet {@code WriteListener} drain it whenever {@code isReady()} allows, ending the stream when
 * the queue overflows; the delivery thread would then never wait on a socket at all.
 */
final class SseStream implements SubscriptionListener {

    private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);

    static final byte[] PREAMBLE = "retry: 2000\n\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final boolean feed;
    private final SseStreams registry;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Subscription subscription;
    private volatile long writeStartedNanos;
    private OutputStream out;
    private boolean started;

    SseStream(HttpServletRequest request, HttpServletResponse response, boolean feed, SseStreams registry) {
        this.request = request;
        this.response = response;
        this.feed = feed;
        this.registry = registry;
    }

    /** Completes when the stream is over; Javalin then finishes the response. */
    CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Takes over the started async request: no timeout, and a client that goes away closes the subscription.
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
        write(null);
    }

    @Override
    public void onEvent(StoredEvent event) {
        write(SseFrames.event(event, feed));
    }

    @Override
    public void onEnd(StreamEnd end) {
        if (end.reason() == StreamEnd.Reason.TERMINAL) {
            write(SseFrames.end(end.status()));
        }
        close();
    }

    /** Sends a heartbeat comment unless a write is in progress (which shows the stream is busy anyway). */
    void ping() {
        if (closed.get() || !lock.tryLock()) {
            return;
        }
        try {
            writeLocked(PING);
        } finally {
            lock.unlock();
        }
    }

    /** Cuts the connection off if a write has been blocked for longer than the timeout. */
    void checkStuck(long timeoutNanos) {
        long started = writeStartedNanos;
        if (started != 0 && System.nanoTime() - started > timeoutNanos) {
            LOG.debug("a stream's client stopped reading; cutting it off");
            abort();
        }
    }

    /** Ends the stream for shutdown: the client resumes elsewhere or later. */
    void shutdown() {
        close();
    }

    boolean isClosed() {
        return closed.get();
    }

    private void write(byte[] frame) {
        if (closed.get()) {
            return;
        }
        lock.lock();
        try {
            writeLocked(frame);
        } finally {
            lock.unlock();
        }
    }

    private void writeLocked(byte[] frame) {
        if (closed.get()) {
            return;
        }
        writeStartedNanos = System.nanoTime();
        try {
            if (!started) {
                started = true;
                response.setStatus(200);
                response.setContentType("text/event-stream");
                response.setCharacterEncoding("UTF-8");
                response.setHeader("Cache-Control", "no-cache");
                response.setHeader("X-Accel-Buffering", "no");
                out = response.getOutputStream();
                out.write(PREAMBLE);
            }
            if (frame != null) {
                out.write(frame);
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.debug("a stream's client went away", e);
            closeLater();
        } finally {
            writeStartedNanos = 0;
        }
    }

    /** Closing completes the request, which must not happen while this thread holds the write lock mid-frame. */
    private void closeLater() {
        if (closed.compareAndSet(false, true)) {
            finish();
        }
    }

    private void close() {
        if (closed.compareAndSet(false, true)) {
            finish();
        }
    }

    private void finish() {
        Subscription current = subscription;
        if (current != null) {
            current.close();
        }
        registry.remove(this);
        done.complete(null);
    }

    private void abort() {
        try {
            ServletContextRequest.getServletContextRequest(request).getServletChannel().getEndPoint().close();
        } catch (RuntimeException e) {
            LOG.debug("could not cut off a stream's connection", e);
        }
        close();
    }

    static long nanos(java.time.Duration duration) {
        return TimeUnit.NANOSECONDS.convert(duration);
    }
}
