package dev.phaseline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many streams of one session, read by one selector thread, and one client that never reads. */
@Timeout(120)
class FanOutIT {

    static final int STREAMS = 500;

    static TestServer server;
    static Client client;
    static String alice;
    static String worker;

    @BeforeAll
    static void start() {
        // A long write timeout and a large stream buffer: the stuck client keeps its stream for the whole test. A
        // short heartbeat, since a stream notices that its client left only when it next writes.
        server = new TestServer(1024, Duration.ofSeconds(1), Duration.ofSeconds(120), 8 * 1024 * 1024, Map.of());
        client = server.client();
        alice = server.token("alice", "acme", "user");
        worker = server.token("bot", "acme", "worker");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void every_stream_gets_a_fanned_out_event_promptly_while_a_client_that_never_reads_holds_its_stream()
            throws Exception {
        Client.Reply created = client.post("/api/v1/sessions", alice, "{}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        ok(client.post("/api/v1/sessions/" + id + "/start", alice, null));
        String stuckPath = "/api/v1/sessions/" + id + "/events?after=2";

        try (Socket stuck = new Socket(); Readers readers = new Readers()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            OutputStream out = stuck.getOutputStream();
            out.write(request(stuckPath));
            out.flush();
            await(() -> server.api.openStreams() == 1, "the stuck client's stream opens");

            // First events of ~60 KiB until the stuck client's socket buffers are full and its write is pending:
            // done before the crowd arrives, so that how much the kernel buffers never makes the test slow.
            String filler = "x".repeat(60 * 1024);
            long seq = 2;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (server.api.stalledStreams() == 0 && System.nanoTime() < deadline) {
                ok(client.post("/api/v1/sessions/" + id + "/events", worker,
                        "{\"type\":\"bulk\",\"data\":{\"fill\":\"" + filler + "\"}}"));
                seq++;
            }
            assertThat(server.api.stalledStreams()).as("the stuck client's write is pending").isEqualTo(1);

            // Then the crowd, in batches, as a real crowd would trickle in; each batch is up before the next.
            byte[] request = request("/api/v1/sessions/" + id + "/events?after=" + seq);
            for (int opened = 0; opened < STREAMS; opened += 50) {
                for (int i = 0; i < 50; i++) {
                    readers.open(server.port, request);
                }
                int expected = opened + 50;
                readers.pollUntil(() -> readers.started() == expected, Duration.ofSeconds(20));
                assertThat(readers.started()).as("streams that got their retry line").isEqualTo(expected);
            }
            assertThat(server.api.openStreams()).isEqualTo(STREAMS + 1);
            assertThat(server.api.stalledStreams()).as("the stuck client's write is still pending").isEqualTo(1);

            // One small event to everyone: all readers get it promptly, nobody waits on the stuck client.
            long fanned = seq + 1;
            long start = System.nanoTime();
            ok(client.post("/api/v1/sessions/" + id + "/events", worker, "{\"type\":\"fan_out\"}"));
            readers.pollUntil(() -> readers.allReached(fanned), Duration.ofSeconds(10));
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(readers.allReached(fanned)).as("every reader got the fanned-out event").isTrue();
            assertThat(tookMillis).as("fan-out to %d streams took %d ms", STREAMS, tookMillis).isLessThan(5000);

            // The stuck client still holds its stream, and no thread is held per stream.
            assertThat(server.api.openStreams()).isEqualTo(STREAMS + 1);
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            assertThat(threads).as("live threads with %d open streams", STREAMS + 1).isLessThan(STREAMS / 2);
        }
        await(() -> server.api.openStreams() == 0, "every stream ends once its client has gone");
    }

    private static byte[] request(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + alice + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void ok(Client.Reply reply) {
        assertThat(reply.status()).as(reply.text()).isBetween(200, 204);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    /** Raw SSE connections read by the calling thread through one selector; tracks the highest id each one got. */
    static final class Readers implements AutoCloseable {
        private final Selector selector;
        private final List<Reader> all = new ArrayList<>();
        private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);

        Readers() throws IOException {
            selector = Selector.open();
        }

        void open(int port, byte[] request) throws IOException {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.configureBlocking(false);
            Reader reader = new Reader();
            channel.register(selector, SelectionKey.OP_READ, reader);
            all.add(reader);
        }

        int started() {
            return (int) all.stream().filter(reader -> reader.started).count();
        }

        boolean allReached(long id) {
            return all.stream().allMatch(reader -> reader.lastId >= id);
        }

        void pollUntil(BooleanSupplier done, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                selector.select(50);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    buffer.clear();
                    int read = channel.read(buffer);
                    if (read < 0) {
                        key.cancel();
                        channel.close();
                        continue;
                    }
                    buffer.flip();
                    ((Reader) key.attachment()).accept(buffer);
                }
                selector.selectedKeys().clear();
            }
        }

        @Override
        public void close() throws IOException {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
    }

    /** Scans the bytes of one response line by line, keeping only the start of each line. */
    static final class Reader {
        private final StringBuilder line = new StringBuilder();
        volatile boolean started;
        volatile long lastId;

        void accept(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                char c = (char) bytes.get();
                if (c == '\n') {
                    String text = line.toString();
                    if (text.startsWith("retry: ")) {
                        started = true;
                    } else if (text.startsWith("id: ")) {
                        lastId = Math.max(lastId, Long.parseLong(text.substring(4).trim()));
                    }
                    line.setLength(0);
                } else if (line.length() < 32) {
                    line.append(c);
                }
            }
        }
    }
}
