package dev.phaseline.adapters.redis.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis for tests: a {@code redis-server} process from the {@code PATH}, on a free loopback port, without
 * persistence; or, when the environment variable {@value #URL_VARIABLE} is set, that server instead.
 *
 * <p>A local process can be {@link #stop() stopped} gracefully, {@link #kill() killed} as in a crash, and
 * {@link #restart() restarted} on the same port, so that clients can reconnect to it. An external server cannot: tests
 * that need it check {@link #canRestart()} in an assumption. {@link #command(String...)} sends one command over a
 * plain socket and returns the reply, so tests can look at what the adapter stored without going through it.
 *
 * <pre>{@code
 * static final RedisTestServer REDIS = RedisTestServer.start();
 * ... RedisSettings.of(REDIS.url()) ...
 * }</pre>
 */
public final class RedisTestServer implements AutoCloseable {

    /** The environment variable naming an external Redis to use instead of a local process. */
    public static final String URL_VARIABLE = "PHASELINE_TEST_REDIS_URL";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    /** How the JDK reports, on Unix, a process that a signal ended: 128 + the signal's number, here SIGKILL's 9. */
    private static final int KILLED_BY_SIGKILL = 128 + 9;

    private final URI url;
    private final boolean local;
    private final int port;
    private Process process;

    private RedisTestServer(URI url, boolean local, int port) {
        this.url = url;
        this.local = local;
        this.port = port;
    }

    /**
     * Starts {@code redis-server} on a free loopback port, or uses {@value #URL_VARIABLE} when set.
     *
     * @return the running server
     * @throws IllegalStateException if the process does not start or answer within 10 s
     */
    public static RedisTestServer start() {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            URI uri = URI.create(external.trim());
            RedisTestServer server = new RedisTestServer(uri, false, uri.getPort() < 0 ? 6379 : uri.getPort());
            server.awaitPong();
            return server;
        }
        int port = freePort();
        RedisTestServer server = new RedisTestServer(URI.create("redis://127.0.0.1:" + port), true, port);
        server.launch();
        return server;
    }

    /** @return the server's URL, e.g. {@code redis://127.0.0.1:40123} */
    public URI url() {
        return url;
    }

    /** @return whether this is a local process that {@link #stop()}, {@link #kill()} and {@link #restart()} control */
    public boolean canRestart() {
        return local;
    }

    /**
     * Stops the process with SIGTERM, as an operator would: Redis runs its own shutdown before it exits. Its data is
     * gone; the port stays reserved for {@link #restart()}. For a crash, see {@link #kill()}.
     */
    public synchronized void stop() {
        requireLocal();
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /**
     * Kills the process with SIGKILL, as a crash, the OOM killer or a lost host would: Redis gets no chance to run its
     * shutdown, and its clients learn of it only from the sockets the kernel closes. Its data is gone; the port stays
     * reserved for {@link #restart()}. Does nothing if the process is not running.
     *
     * @throws IllegalStateException if the process did not end within 5 s, or ended otherwise than by SIGKILL, so a
     *                               test that means a crash never runs against a graceful shutdown
     */
    public synchronized void kill() {
        requireLocal();
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " outlived SIGKILL by 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing redis-server on port " + port, e);
        }
        int exit = process.exitValue();
        process = null;
        if (exit != KILLED_BY_SIGKILL) {
            throw new IllegalStateException("redis-server on port " + port + " exited with " + exit
                    + ", not by SIGKILL (" + KILLED_BY_SIGKILL + ")");
        }
    }

    /** Starts the process again, empty, on the same port, after a stop or a kill; stops it first if it still runs. */
    public synchronized void restart() {
        requireLocal();
        stop();
        launch();
    }

    /** Drops every key of every database. */
    public void flushAll() {
        command("FLUSHALL");
    }

    /**
     * Sends one command and reads its reply.
     *
     * @param args the command and its arguments
     * @return the reply: a simple or bulk string, an integer as text, {@code null} for a nil reply, or for an array
     *         its elements joined by newlines
     * @throws IllegalStateException on an error reply
     * @throws UncheckedIOException if the server cannot be reached
     */
    public String command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String password = password();
            if (password != null) {
                write(out, "AUTH", password);
                read(in);
            }
            write(out, args);
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis at " + url + " is unreachable", e);
        }
    }

    /** Stops a local process. */
    @Override
    public synchronized void close() {
        if (local) {
            stop();
        }
    }

    private void launch() {
        ProcessBuilder builder = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start redis-server (is it installed and on the PATH?)", e);
        }
        try {
            awaitPong();
        } catch (RuntimeException e) {
            process.destroyForcibly();
            process = null;
            throw e;
        }
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
            }
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("Redis at " + url + " did not answer PING within " + START_TIMEOUT, last);
    }

    private void requireLocal() {
        if (!local) {
            throw new UnsupportedOperationException("an external Redis (" + URL_VARIABLE + ") cannot be stopped");
        }
    }

    private String password() {
        String info = url.getUserInfo();
        if (info == null) {
            return null;
        }
        int colon = info.indexOf(':');
        return URLDecoder.decode(colon < 0 ? info : info.substring(colon + 1), StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, String... args) throws IOException {
        StringBuilder request = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String read(InputStream in) throws IOException {
        String line = line(in);
        char kind = line.charAt(0);
        String rest = line.substring(1);
        switch (kind) {
            case '+':
            case ':':
                return rest;
            case '-':
                throw new IllegalStateException("Redis replied " + rest);
            case '$': {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(rest);
                if (count < 0) {
                    return null;
                }
                List<String> elements = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    elements.add(read(in));
                }
                return String.join("\n", elements);
            }
            default:
                throw new IllegalStateException("unexpected reply " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                return line.toString();
            }
            line.append((char) c);
        }
        throw new IOException("connection closed by Redis");
    }
}
