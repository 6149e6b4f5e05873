package dev.phaseline.benchmarks;

import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fan-out benchmark's baseline, in a JVM of its own: a bare Javalin server with one SSE route and nothing of
 * Phaseline, which sends an event to its clients the way the simplest server would, one loop on one thread. It is
 * the reference the issue gives for fan-out (a server "that loops over its clients calling {@code sendEvent}"),
 * measured with the same load client in the same run as Phaseline.
 *
 * <pre>
 * out: PORT p                    once started; its route is GET /events (any Accept, any Authorization)
 * in:  SEND k javalin|raw        one event with {"bk":k} to every client: SseClient.sendEvent, or pre-encoded bytes
 *                                written and flushed on each response; out: T0 k arrived started (nanoTime when the
 *                                command arrived and when its loop started) as the loop starts, then
 *                                SENT k queuedMillis loopMillis once it is done
 * in:  COUNT                     out: CLIENTS n
 * in:  QUIT                      stops the server and exits
 * </pre>
 *
 * Events are sent one after another on one thread, in the order they came; one that comes while the loop still
 * runs waits. Its latency can be counted from its arrival, as Phaseline's counts from its commit, or from the start of
 * its loop, which leaves the wait out (how the reference figure was taken). A client that stops
 * reading blocks the loop (its write waits for the socket), so the fan-out benchmark measures this baseline without
 * the stalled stream.
 */
public final class BareSseServer {

    static final String PATH = "/events";

    private BareSseServer() {
    }

    public static void main(String[] args) throws IOException {
        Set<SseClient> clients = ConcurrentHashMap.newKeySet();
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.sse(PATH, client -> {
                client.keepAlive();
                client.onClose(() -> clients.remove(client));
                clients.add(client);
            });
        }).start("127.0.0.1", 0);
        print("PORT " + app.port());
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("QUIT")) {
                String[] parts = line.trim().split(" ");
                switch (parts[0]) {
                    case "SEND" -> {
                        long arrived = System.nanoTime();
                        int k = Integer.parseInt(parts[1]);
                        boolean raw = parts[2].equals("raw");
                        sender.execute(() -> send(clients, k, raw, arrived));
                    }
                    case "COUNT" -> print("CLIENTS " + clients.size());
                    default -> print("ERROR unknown command " + line);
                }
            }
        } finally {
            sender.shutdown();
            app.stop();
        }
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    private static void send(Set<SseClient> clients, int k, boolean raw, long arrived) {
        long start = System.nanoTime();
        print("T0 " + k + " " + arrived + " " + start);
        String data = "{\"bk\":" + k + ",\"t0\":" + arrived + "}";
        byte[] frame = ("event: tick\nid: " + k + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        for (SseClient client : clients) {
            if (raw) {
                try {
                    OutputStream out = client.ctx().res().getOutputStream();
                    out.write(frame);
                    out.flush();
                } catch (IOException e) {
                    client.close();
                }
            } else {
                client.sendEvent("tick", data, Integer.toString(k));
            }
        }
        print("SENT " + k + " " + (start - arrived) / 1_000_000 + " "
                + (System.nanoTime() - start) / 1_000_000);
    }
}
