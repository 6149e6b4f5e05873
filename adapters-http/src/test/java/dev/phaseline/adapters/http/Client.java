package dev.phaseline.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real HTTP client for the tests; streams are read line by line as they arrive, on a reader thread. */
final class Client {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    Client(int port) {
        this.port = port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A response with its body read. */
    record Reply(int status, HttpResponse<byte[]> raw) {
        JsonNode json() {
            try {
                return MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        String code() {
            return json().path("code").asText();
        }
    }

    Reply get(String path, String token, String... headers) {
        return send("GET", path, token, null, null, headers);
    }

    Reply post(String path, String token, String json, String... headers) {
        return send("POST", path, token, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                json == null ? null : "application/json", headers);
    }

    Reply delete(String path, String token, String... headers) {
        return send("DELETE", path, token, null, null, headers);
    }

    Reply send(String method, String path, String token, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Opens a stream; the headers are back when this returns, events are read in the background. */
    Stream stream(String path, String token, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<InputStream> response = http.sendAsync(request.GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new Stream(response);
        } catch (Exception e) {
            throw new AssertionError("could not open " + path, e);
        }
    }

    /** One SSE frame as received. */
    record Frame(String id, String event, String data, List<String> comments, String retry) {
        JsonNode json() {
            try {
                return MAPPER.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }
    }

    /** An open SSE response read incrementally. */
    static final class Stream implements AutoCloseable {
        private static final Frame CLOSED = new Frame(null, "<closed>", null, List.of(), null);
        final HttpResponse<InputStream> response;
        private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private final Thread reader;
        private volatile boolean ended;

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new Thread(this::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        int status() {
            return response.statusCode();
        }

        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String id = null;
                String event = null;
                String retry = null;
                StringBuilder data = null;
                List<String> comments = new ArrayList<>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (id != null || event != null || data != null || retry != null || !comments.isEmpty()) {
                            frames.add(new Frame(id, event, data == null ? null : data.toString(),
                                    List.copyOf(comments), retry));
                        }
                        id = null;
                        event = null;
                        retry = null;
                        data = null;
                        comments.clear();
                    } else if (line.startsWith(":")) {
                        comments.add(line.substring(1).trim());
                    } else {
                        int colon = line.indexOf(':');
                        String field = colon < 0 ? line : line.substring(0, colon);
                        String value = colon < 0 ? "" : line.substring(colon + 1);
                        if (value.startsWith(" ")) {
                            value = value.substring(1);
                        }
                        switch (field) {
                            case "id" -> id = value;
                            case "event" -> event = value;
                            case "retry" -> retry = value;
                            case "data" -> data = data == null ? new StringBuilder(value)
                                    : data.append('\n').append(value);
                            default -> throw new AssertionError("unexpected field line: " + line);
                        }
                    }
                }
            } catch (IOException e) {
                // closed
            } finally {
                ended = true;
                frames.add(CLOSED);
            }
        }

        /** @return the next frame that is not only a comment; fails after the timeout or at the end */
        Frame next() {
            // One deadline for the whole wait: heartbeats must not keep a wait for an event that never comes alive.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                Frame frame = poll(Math.max(0, deadline - System.nanoTime()));
                if (frame.comments().isEmpty() || frame.event() != null || frame.data() != null
                        || frame.retry() != null) {
                    return frame;
                }
            }
        }

        /** @return the next frame of any kind */
        Frame poll() {
            return poll(TIMEOUT.toNanos());
        }

        private Frame poll(long timeoutNanos) {
            try {
                Frame frame = frames.poll(timeoutNanos, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("no frame within " + TIMEOUT);
                }
                if (frame == CLOSED) {
                    frames.add(CLOSED);
                    throw new AssertionError("the stream closed");
                }
                return frame;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** @return the next event frame (skipping retry and comments) */
        Frame nextEvent() {
            while (true) {
                Frame frame = next();
                if (frame.event() != null || frame.data() != null) {
                    return frame;
                }
            }
        }

        /** Waits until the server closed the stream, draining what is left. */
        List<Frame> awaitEnd() {
            List<Frame> rest = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    Frame frame = frames.poll(100, TimeUnit.MILLISECONDS);
                    if (frame == CLOSED) {
                        frames.add(CLOSED);
                        return rest;
                    }
                    if (frame != null) {
                        rest.add(frame);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError("the stream did not close within " + TIMEOUT + "; got " + rest);
        }

        boolean ended() {
            return ended;
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // closing anyway
            }
            reader.interrupt();
        }
    }
}
