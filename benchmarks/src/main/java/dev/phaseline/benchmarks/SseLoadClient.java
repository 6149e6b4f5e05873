package dev.phaseline.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The fan-out benchmark's load client, a separate JVM so that its sockets do not count against the server's file
 * descriptors: one selector thread opens raw HTTP/1.1 SSE streams (a bounded number of handshakes in flight) and
 * records, per stream and per measured event, the {@link System#nanoTime()} at which the event's frame arrived.
 * Driven over stdin/stdout by {@link FanoutBench}:
 *
 * <pre>
 * args: port token
 * in:  STALL path            open one extra stream that never reads (receive buffer 4 KB); out: STALLED
 * in:  OPEN n inflight path  open n streams; out: CONNECTED ok failed millis
 * in:  T0 k before after     the server-side times of measured event k (nanoTime)
 * in:  UNSTALL               close the stalled stream; out: UNSTALLED
 * in:  REPORT from to label  latency of events from..to-1 over all streams; out: RESULT ...
 * in:  QUIT
 * </pre>
 *
 * Measured events carry {@code "bk":k} in their data; the latency is receipt − the time the commit returned.
 */
public final class SseLoadClient {

    private static final int MAX_EVENTS = 256;
    private static final byte[] MARK = "\"bk\":".getBytes(StandardCharsets.US_ASCII);

    /** One stream's parsing state. */
    private static final class Conn {
        final int index;
        final SocketChannel channel;
        boolean headersDone;
        boolean chunked;
        byte[] head = new byte[512];
        int headLength;
        // chunked decoding: 0 size line, 1 data, 2 CRLF after data
        int chunkState;
        long chunkRemaining;
        int crlfLeft;
        // frame assembly
        byte[] frame = new byte[512];
        int frameLength;
        boolean lastWasNewline;

        Conn(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }
    }

    private final InetSocketAddress address;
    private final String token;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final byte[] bytes = new byte[256 * 1024];
    private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
    private final PrintStream out = System.out;
    private final long[] t0Before = new long[MAX_EVENTS];
    private final long[] t0After = new long[MAX_EVENTS];
    private long[][] receipts = new long[MAX_EVENTS][];
    private boolean[] live = new boolean[0];
    private int capacity;
    private int opened;
    private int connected;
    private int failed;
    private int inflight;
    private int target;
    private int maxInflight;
    private String path;
    private long openStart;
    private boolean reportedConnected = true;
    private SocketChannel stalled;
    private final Map<String, Integer> failures = new HashMap<>();

    private SseLoadClient(int port, String token) throws IOException {
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.token = token;
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws Exception {
        SseLoadClient client = new SseLoadClient(Integer.parseInt(args[0]), args[1]);
        Thread input = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    client.commands.add(line.trim());
                    client.selector.wakeup();
                }
            } catch (IOException e) {
                // the driver is gone
            }
            client.commands.add("QUIT");
            client.selector.wakeup();
        }, "stdin");
        input.setDaemon(true);
        input.start();
        client.loop();
    }

    private void loop() throws IOException {
        while (true) {
            String command;
            while ((command = commands.poll()) != null) {
                if (!handle(command)) {
                    return;
                }
            }
            while (opened < target && inflight < maxInflight) {
                openOne();
            }
            if (!reportedConnected && inflight == 0 && opened >= target) {
                reportedConnected = true;
                out.printf(Locale.ROOT, "CONNECTED %d %d %d %s%n", connected, failed,
                        (System.nanoTime() - openStart) / 1_000_000, failures);
                out.flush();
            }
            selector.select(100);
            long now = System.nanoTime();
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Conn conn = (Conn) key.attachment();
                try {
                    if (key.isConnectable()) {
                        conn.channel.finishConnect();
                        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                + token + "\r\nAccept: text/event-stream\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        ByteBuffer buffer = ByteBuffer.wrap(request);
                        while (buffer.hasRemaining()) {
                            conn.channel.write(buffer);
                        }
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        read(key, conn, now);
                    }
                } catch (IOException e) {
                    fail(key, conn, e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
    }

    private boolean handle(String command) throws IOException {
        String[] parts = command.split(" ");
        switch (parts[0]) {
            case "STALL" -> {
                stalled = SocketChannel.open();
                stalled.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                stalled.connect(address);
                stalled.write(ByteBuffer.wrap(("GET " + parts[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization:"
                        + " Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                out.println("STALLED");
            }
            case "OPEN" -> {
                int n = Integer.parseInt(parts[1]);
                maxInflight = Integer.parseInt(parts[2]);
                path = parts[3];
                target = opened + n;
                capacity = target;
                live = Arrays.copyOf(live, capacity);
                for (int k = 0; k < MAX_EVENTS; k++) {
                    receipts[k] = receipts[k] == null ? new long[capacity] : Arrays.copyOf(receipts[k], capacity);
                }
                openStart = System.nanoTime();
                reportedConnected = false;
            }
            case "T0" -> {
                int k = Integer.parseInt(parts[1]);
                t0Before[k] = Long.parseLong(parts[2]);
                t0After[k] = Long.parseLong(parts[3]);
            }
            case "UNSTALL" -> {
                if (stalled != null) {
                    stalled.close();
                    stalled = null;
                }
                out.println("UNSTALLED");
            }
            case "REPORT" -> report(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), parts[3]);
            case "QUIT" -> {
                return false;
            }
            default -> out.println("ERROR unknown command " + command);
        }
        out.flush();
        return true;
    }

    private void openOne() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        Conn conn = new Conn(opened++, channel);
        inflight++;
        channel.connect(address);
        // Registered for OP_CONNECT either way: finishConnect is a no-op on an already connected channel.
        channel.register(selector, SelectionKey.OP_CONNECT, conn);
    }

    private void fail(SelectionKey key, Conn conn, String why) {
        key.cancel();
        try {
            conn.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (!conn.headersDone) {
            inflight--;
            failed++;
        } else {
            connected--;
            failed++;
        }
        failures.merge(why.length() > 60 ? why.substring(0, 60) : why, 1, Integer::sum);
    }

    private void read(SelectionKey key, Conn conn, long now) throws IOException {
        while (true) {
            readBuffer.clear();
            int n = conn.channel.read(readBuffer);
            if (n < 0) {
                fail(key, conn, "closed by server");
                return;
            }
            if (n == 0) {
                return;
            }
            readBuffer.flip();
            readBuffer.get(bytes, 0, n);
            int i = 0;
            if (!conn.headersDone) {
                for (; i < n && !conn.headersDone; i++) {
                    if (conn.headLength == conn.head.length) {
                        conn.head = Arrays.copyOf(conn.head, conn.head.length * 2);
                    }
                    conn.head[conn.headLength++] = bytes[i];
                    int l = conn.headLength;
                    if (l >= 4 && conn.head[l - 4] == '\r' && conn.head[l - 3] == '\n' && conn.head[l - 2] == '\r'
                            && conn.head[l - 1] == '\n') {
                        String head = new String(conn.head, 0, l, StandardCharsets.ISO_8859_1);
                        conn.head = null;
                        if (!head.startsWith("HTTP/1.1 200")) {
                            fail(key, conn, head.substring(0, Math.min(12, head.length())).trim());
                            return;
                        }
                        conn.chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
                        conn.headersDone = true;
                        if (conn.index < capacity) {
                            live[conn.index] = true;
                        }
                        inflight--;
                        connected++;
                    }
                }
            }
            if (conn.chunked) {
                dechunk(conn, bytes, i, n, now);
            } else {
                body(conn, bytes, i, n, now);
            }
        }
    }

    private void dechunk(Conn conn, byte[] data, int from, int to, long now) {
        int i = from;
        while (i < to) {
            switch (conn.chunkState) {
                case 0 -> {
                    byte b = data[i++];
                    if (b == '\n') {
                        conn.chunkState = conn.chunkRemaining == 0 ? 2 : 1;
                        conn.crlfLeft = 2;
                        if (conn.chunkRemaining == 0) {
                            conn.crlfLeft = 2; // last chunk: ignore the rest
                        }
                    } else {
                        int digit = Character.digit(b, 16);
                        if (digit >= 0) {
                            conn.chunkRemaining = conn.chunkRemaining * 16 + digit;
                        }
                    }
                }
                case 1 -> {
                    int take = (int) Math.min(conn.chunkRemaining, to - i);
                    body(conn, data, i, i + take, now);
                    i += take;
                    conn.chunkRemaining -= take;
                    if (conn.chunkRemaining == 0) {
                        conn.chunkState = 2;
                        conn.crlfLeft = 2;
                    }
                }
                default -> {
                    i++;
                    if (--conn.crlfLeft == 0) {
                        conn.chunkState = 0;
                        conn.chunkRemaining = 0;
                    }
                }
            }
        }
    }

    private void body(Conn conn, byte[] data, int from, int to, long now) {
        for (int i = from; i < to; i++) {
            byte b = data[i];
            if (b == '\n') {
                if (conn.lastWasNewline) {
                    frame(conn, now);
                    conn.frameLength = 0;
                    conn.lastWasNewline = false;
                    continue;
                }
                conn.lastWasNewline = true;
            } else if (b != '\r') {
                conn.lastWasNewline = false;
            }
            if (conn.frameLength == conn.frame.length) {
                conn.frame = Arrays.copyOf(conn.frame, conn.frame.length * 2);
            }
            conn.frame[conn.frameLength++] = b;
        }
    }

    private void frame(Conn conn, long now) {
        byte[] f = conn.frame;
        int end = conn.frameLength - MARK.length;
        outer:
        for (int i = 0; i <= end; i++) {
            for (int j = 0; j < MARK.length; j++) {
                if (f[i + j] != MARK[j]) {
                    continue outer;
                }
            }
            int k = 0;
            for (int p = i + MARK.length; p < conn.frameLength && f[p] >= '0' && f[p] <= '9'; p++) {
                k = k * 10 + (f[p] - '0');
            }
            if (k < MAX_EVENTS && conn.index < capacity && receipts[k][conn.index] == 0) {
                receipts[k][conn.index] = now;
            }
            return;
        }
    }

    private int liveStreams() {
        int n = 0;
        for (boolean b : live) {
            n += b ? 1 : 0;
        }
        return n;
    }

    private void report(int from, int to, String label) {
        long[] afterCommit = new long[capacity * (to - from)];
        long[] fromStart = new long[afterCommit.length];
        int count = 0;
        int missing = 0;
        for (int k = from; k < to; k++) {
            for (int s = 0; s < capacity; s++) {
                if (!live[s]) {
                    continue; // never connected: reported as failed, not as missing deliveries
                }
                long r = receipts[k][s];
                if (r == 0) {
                    missing++;
                    continue;
                }
                afterCommit[count] = r - t0After[k];
                fromStart[count] = r - t0Before[k];
                count++;
            }
        }
        long[] a = Bench.sorted(afterCommit, count);
        long[] b = Bench.sorted(fromStart, count);
        out.printf(Locale.ROOT, "RESULT %s events=%d streams=%d received=%d missing=%d"
                + " p50=%s p90=%s p99=%s max=%s min=%s | from-command-start p50=%s p99=%s max=%s%n", label, to - from,
                liveStreams(), count, missing, Bench.ms(Bench.quantile(a, 0.5)), Bench.ms(Bench.quantile(a, 0.9)),
                Bench.ms(Bench.quantile(a, 0.99)), count == 0 ? "-" : Bench.ms(a[count - 1]),
                count == 0 ? "-" : Bench.ms(a[0]), Bench.ms(Bench.quantile(b, 0.5)), Bench.ms(Bench.quantile(b, 0.99)),
                count == 0 ? "-" : Bench.ms(b[count - 1]));
        out.printf(Locale.ROOT, "STATE connected=%d failed=%d failures=%s%n", connected, failed, failures);
    }
}
