package dev.phaseline.bootstrap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real SSE client: reads the body line by line as it arrives (java.net.http, HTTP/1.1, one connection per stream)
 * and dispatches an event at each blank line, as a browser's EventSource does. An event cut off by a disconnect is
 * never dispatched, so {@link #lastEventId()} is what a browser would send on reconnect.
 */
final class SseClient implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A dispatched event; {@code id} is null for events without an {@code id:} line (such as {@code end}). */
    record Event(String id, String type, String data) {
        long seq() {
            return Long.parseLong(id);
        }
    }

    final int status;
    final List<Event> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final InputStream body;

    private SseClient(int status, InputStream body) {
        this.status = status;
        this.body = body;
        Thread reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens a stream and returns once the response headers arrived.
     *
     * @param lastEventId sent as {@code Last-Event-ID}, or null
     */
    static SseClient open(int port, String path, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<InputStream> response = CLIENT.sendAsync(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream()).get(10, java.util.concurrent.TimeUnit.SECONDS);
            return new SseClient(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new UncheckedIOException(new IOException("cannot open " + path + " on port " + port, e));
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String type = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, type == null ? "message" : type, data.toString()));
                    }
                    id = null;
                    type = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    continue;
                } else if (line.startsWith("id:")) {
                    id = value(line);
                } else if (line.startsWith("event:")) {
                    type = value(line);
                } else if (line.startsWith("data:")) {
                    data = data == null ? new StringBuilder(value(line)) : data.append('\n').append(value(line));
                }
            }
        } catch (IOException e) {
            // closed by us, or the server went away: either way the stream is over
        } finally {
            ended.complete(null);
        }
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /** @return the id of the last dispatched event that had one, or null */
    String lastEventId() {
        String last = null;
        for (Event event : events) {
            if (event.id() != null) {
                last = event.id();
            }
        }
        return last;
    }

    /** @return the seqs (ids) of the dispatched events that have one, in arrival order */
    List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        for (Event event : events) {
            if (event.id() != null) {
                ids.add(event.seq());
            }
        }
        return ids;
    }

    /** @return whether the events satisfied the condition within the timeout */
    boolean await(Predicate<List<Event>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(events)) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.test(events);
    }

    /** @return whether the server sent {@code event: end} within the timeout */
    boolean awaitEnd(Duration timeout) {
        return await(list -> list.stream().anyMatch(e -> "end".equals(e.type())), timeout);
    }

    /** Drops the connection, as a client whose network went away. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
