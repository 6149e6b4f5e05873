package dev.phaseline.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code java -XX:ArchiveClassesAtExit=phaseline.jsa -jar phaseline.jar training-run}: starts the server once the way
 * it serves (embedded PostgreSQL in a temporary directory, HTTP on a free loopback port, the demo worker), sends it
 * the requests a client sends first, and stops it, so that the JVM records the classes all of that loads in a class
 * data sharing archive.
 *
 * <p>Why: most of a cold start is loading, verifying and linking the classes of Hibernate, Flyway, Jetty and the
 * rest, the same ones at every start. The build runs this after packaging the jar; a server started with
 * {@code -XX:SharedArchiveFile=phaseline.jsa} maps them from the archive instead (see docs/PERFORMANCE.md for what it
 * saves). The archive belongs to the JDK that recorded it and to that jar file: with another JDK, or a jar rebuilt
 * since, the JVM ignores it and starts as without it.
 */
final class TrainingRun {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private TrainingRun() {
    }

    /** @return 0 when the server started, answered and stopped; 1 otherwise, after one line on {@code err} */
    static int run(PrintStream out, PrintStream err) {
        long begin = System.nanoTime();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("phaseline-training");
        } catch (IOException e) {
            err.println("training run: cannot create a temporary directory: " + e.getMessage());
            return 1;
        }
        try {
            HeapFootprint.apply();
            Optional<Phaseline> started = Main.start(Map.of("PHASELINE_DATA_DIR", dataDir.toString(),
                    "PHASELINE_HTTP_PORT", "0"), err, builder -> builder.httpHost("127.0.0.1"));
            if (started.isEmpty()) {
                return 1;
            }
            try (Phaseline phaseline = started.get()) {
                exercise(phaseline);
            }
            out.println("training run done in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
            return 0;
        } catch (RuntimeException e) {
            err.println("training run failed: " + e);
            return 1;
        } finally {
            deleteQuietly(dataDir);
        }
    }

    /** The requests of the README's walkthrough, a stream, and a few refusals, so their classes load too. */
    private static void exercise(Phaseline phaseline) {
        String base = "http://127.0.0.1:" + phaseline.httpPort();
        String token = "Bearer " + phaseline.tokenIssuer().issue("training", "training", List.of("user", "admin"),
                Duration.ofMinutes(5));
        expect(200, call("GET", base + "/health", null, null));
        expect(200, call("GET", base + "/ready", null, null));
        expect(200, call("GET", base + "/openapi.json", null, null));
        String created = expect(201, call("POST", base + "/api/v1/sessions", token,
                "{\"workflow\":\"demo\",\"title\":\"training\",\"input\":{\"clarify\":false}}"));
        Matcher id = ID.matcher(created);
        if (!id.find()) {
            throw new IllegalStateException("no session id in " + created);
        }
        String session = base + "/api/v1/sessions/" + id.group(1);
        expect(200, call("POST", session + "/start", token, null));
        expect(200, call("GET", session, token, null));
        expect(200, call("GET", session + "/status", token, null));
        expect(200, call("GET", session + "/history", token, null));
        expect(200, call("GET", base + "/api/v1/sessions?limit=5", token, null));
        readStreamStart(session + "/events", token);
        expect(200, call("GET", base + "/metrics", null, null));
        expect(400, call("POST", base + "/api/v1/sessions", token, "{not json"));
        expect(401, call("GET", session, null, null));
        expect(404, call("GET", base + "/api/v1/nowhere", token, null));
    }

    private record Answer(int status, String body) {
    }

    private static String expect(int status, Answer answer) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    private static Answer call(String method, String url, String authorization, String json) {
        try {
            HttpURLConnection connection = open(url, authorization);
            connection.setRequestMethod(method);
            if (json != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream body = connection.getOutputStream()) {
                    body.write(json.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            connection.disconnect();
            return new Answer(status, text);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed", e);
        }
    }

    /** Opens the session's stream, reads up to its first event, and hangs up, as a client that goes away does. */
    private static void readStreamStart(String url, String authorization) {
        HttpURLConnection connection = null;
        try {
            connection = open(url, authorization);
            connection.setRequestProperty("Accept", "text/event-stream");
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("the stream answered " + connection.getResponseCode());
            }
            try (InputStream in = connection.getInputStream()) {
                StringBuilder seen = new StringBuilder();
                int b;
                while (seen.indexOf("data:") < 0 && (b = in.read()) >= 0) {
                    seen.append((char) b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the stream " + url + " failed", e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static HttpURLConnection open(String url, String authorization) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(30_000);
        if (authorization != null) {
            connection.setRequestProperty("Authorization", authorization);
        }
        return connection;
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: the system cleans it up in the end
        }
    }
}
