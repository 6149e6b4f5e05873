package dev.phaseline.benchmarks;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.SessionId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code fanout}: this process is the server and holds N SSE streams on one session; {@link SseLoadClient} runs in
 * a separate JVM (each process has its own file-descriptor limit). Events are committed through the application API
 * in this process; the client measures receipt − the time the command returned, per stream and event, on the same
 * host's monotonic clock. One extra stream that never reads is held open (and stalled) during the second of three
 * measured phases, so the others' latency is compared with it against the phases before and after it.
 */
final class FanoutBench {

    static final String USAGE = """
            usage: java -jar benchmarks/target/phaseline-benchmarks.jar fanout [options]
              --streams N     SSE streams on the one session (default 19000)
              --events K      measured events in each of the three phases (default 10)
              --interval DUR  between events (default 300ms)
              --inflight N    client handshakes in flight at most (default 256)
              --stall-fill N  events of 16 KB the non-reading stream replays to stall (default 200)""";

    private FanoutBench() {
    }

    private static String heapFreeRatios() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return "MinHeapFreeRatio=" + vm.getVMOption("MinHeapFreeRatio").getValue() + " MaxHeapFreeRatio="
                + vm.getVMOption("MaxHeapFreeRatio").getValue() + " (the server sets 10 and 20)";
    }

    static void run(String[] argv) throws Exception {
        Bench.Args args = new Bench.Args(argv, USAGE, "streams", "events", "interval", "inflight", "stall-fill");
        int streams = args.integer("streams", 19_000);
        int events = args.integer("events", 10);
        Duration interval = args.duration("interval", Duration.ofMillis(300));
        int inflight = args.integer("inflight", 256);
        int stallFill = args.integer("stall-fill", 200);
        // The server sets these two ratios at start (HeapFootprint) unless the operator did; this JVM is the server
        // under test, so the report says which ones it ran with.
        String machine = Bench.machine() + ", " + heapFreeRatios();
        Bench.progress("machine: " + machine);
        long pid = ProcessHandle.current().pid();
        Map<String, String> facts = new LinkedHashMap<>();
        // The stalled stream must stay open for the whole run: the write timeout that would end it is set long.
        try (BenchServer server = BenchServer.start(16, s -> s.withSseWriteTimeout(Duration.ofMinutes(30)))) {
            SessionId session = server.runningSessions(1, "fanout").get(0);
            String eventsPath = "/api/v1/sessions/" + session + "/events";
            Bench.Memory base = Bench.memory(pid);
            Bench.progress("baseline: " + base.describe());
            Process client = new ProcessBuilder(Bench.javaBinary(), "-Xmx1g", "-cp", Bench.classPath(),
                    SseLoadClient.class.getName(), Integer.toString(server.port()),
                    server.token(BenchServer.OWNER)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            PrintStream toClient = new PrintStream(client.getOutputStream(), true, StandardCharsets.UTF_8);
            BlockingQueue<String> fromClient = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        fromClient.add(line);
                    }
                } catch (java.io.IOException e) {
                    // client gone
                }
            }, "client-output");
            reader.setDaemon(true);
            reader.start();
            try {
                // 1. History for the non-reading stream: it subscribes from seq 0 later, so the replay (which the
                // stream's byte bound does not limit) fills its socket without the other streams receiving it.
                String filler = "x".repeat(16 * 1024 - 100);
                for (int i = 0; i < stallFill; i++) {
                    server.core.commands().execute(BenchServer.WORKER, session, new SessionCommand.AppendEvent(
                            "filler", JsonValue.object(Map.of("pad", JsonValue.of(filler)))));
                }
                long after = server.core.queries().get(BenchServer.OWNER, session).lastEventSeq();

                // 2. N streams, resuming after the filler.
                String loadBefore = Bench.loadAverage();
                toClient.println("OPEN " + streams + " " + inflight + " " + eventsPath + "?after=" + after);
                String connected = expect(fromClient, "CONNECTED", 600);
                facts.put("connect", connected + " (ok, failed, ms, failures); load before " + loadBefore);
                Bench.progress(connected);
                int ok = Integer.parseInt(connected.split(" ")[1]);
                waitFor(() -> server.gauge("phaseline.sse.streams.open") >= ok, 60);
                Bench.Memory connectedMemory = Bench.memory(pid);
                Bench.progress("after connecting: " + connectedMemory.describe());

                // 3. Warm-up, then the measured phases.
                int k = 0;
                k = publish(server, session, toClient, k, 5, interval, "warm-up");
                // Phase A without the stalled stream, B with it, C without it again: B is bracketed, so drift
                // (JIT, other load) shows as a difference between A and C.
                long[] cpu = new long[3];
                long[] clientCpu = new long[3];
                String[] loads = new String[3];
                String[] results = new String[3];
                String[] labels = {"before-stall", "stalled-stream-held-open", "after-stall"};
                for (int phase = 0; phase < 3; phase++) {
                    if (phase == 1) {
                        // The stream that never reads, replaying the filler: stalled within a moment. Jetty's idle
                        // timeout (30 s) would end a write that makes no progress, so the phase starts right away.
                        toClient.println("STALL " + eventsPath + "?after=0");
                        expect(fromClient, "STALLED", 30);
                        waitFor(() -> server.gauge("phaseline.sse.streams.stalled") >= 1, 15);
                        facts.put("stalled stream", String.format(Locale.ROOT, "receive buffer 4 KB, never reads,"
                                + " replays %d events of 16 KB from seq 0: before phase B the server reports stalled"
                                + " streams %.0f, open %.0f", stallFill, server.gauge("phaseline.sse.streams.stalled"),
                                server.gauge("phaseline.sse.streams.open")));
                        Bench.progress(facts.get("stalled stream"));
                    }
                    Thread.sleep(1000);
                    loads[phase] = Bench.loadAverage();
                    int first = k;
                    cpu[phase] = Bench.processCpuNanos(pid);
                    clientCpu[phase] = Bench.processCpuNanos(client.pid());
                    k = publish(server, session, toClient, k, events, interval, labels[phase]);
                    Thread.sleep(2000);
                    cpu[phase] = Bench.processCpuNanos(pid) - cpu[phase];
                    clientCpu[phase] = Bench.processCpuNanos(client.pid()) - clientCpu[phase];
                    if (phase == 1) {
                        facts.put("after phase B", String.format(Locale.ROOT, "open streams %.0f, stalled %.0f",
                                server.gauge("phaseline.sse.streams.open"),
                                server.gauge("phaseline.sse.streams.stalled")));
                        Bench.progress(facts.get("after phase B"));
                    }
                    toClient.println("REPORT " + first + " " + k + " " + labels[phase]);
                    results[phase] = expect(fromClient, "RESULT", 120);
                    Bench.progress(results[phase]);
                    expect(fromClient, "STATE", 30);
                    if (phase == 1) {
                        toClient.println("UNSTALL");
                        expect(fromClient, "UNSTALLED", 30);
                    }
                }
                toClient.println("REPORT 0 0 state");
                expect(fromClient, "RESULT", 30);
                String state = expect(fromClient, "STATE", 30);
                Bench.Memory traffic = Bench.memory(pid);
                Bench.progress("after traffic: " + traffic.describe());
                Thread.sleep(5000);
                Bench.Memory end = Bench.memory(pid);
                toClient.println("QUIT");

                StringBuilder out = new StringBuilder();
                out.append("## fanout: ").append(ok).append(" SSE streams on one session (asked ").append(streams)
                        .append("), ").append(events).append(" events per phase, ").append(interval.toMillis())
                        .append(" ms apart\n\nmachine: ").append(machine).append("\n\n");
                facts.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
                out.append("\nlatency = client receipt − nanoTime just after the command returned (ms), over all"
                        + " streams × events:\n\n");
                double deliveries = (double) ok * events;
                out.append("| phase | load (1/5/15 min) | CPU per delivery: server, client (µs) | result |\n"
                        + "|---|---|---|---|\n");
                String[] names = {"A: before the stalled stream", "B: stalled stream held open",
                    "C: after it was closed"};
                for (int phase = 0; phase < 3; phase++) {
                    out.append("| ").append(names[phase]).append(" | ").append(loads[phase])
                            .append(String.format(Locale.ROOT, " | %.1f, %.1f", cpu[phase] / 1e3 / deliveries,
                                    clientCpu[phase] / 1e3 / deliveries))
                            .append(" | `").append(results[phase]).append("` |\n");
                }
                out.append("\nclient state: `").append(state).append("`\n\n");
                out.append("| server (pid ").append(pid).append(") | heap after full GC KB | heap committed KB"
                        + " | direct buffers KB | RSS KB | threads |\n").append("|---|---:|---:|---:|---:|---:|\n");
                row(out, "before connecting", base);
                row(out, "after connecting", connectedMemory);
                row(out, "after the three phases (traffic)", traffic);
                row(out, "5 s later", end);
                out.append(String.format(Locale.ROOT, "%nper stream after traffic (minus baseline, / %d): heap %.1f KB,"
                        + " RSS %.1f KB; threads %d → %d%n", ok, (traffic.heapUsedKb() - base.heapUsedKb())
                        / (double) ok, (traffic.rssKb() - base.rssKb()) / (double) ok, base.threads(),
                        traffic.threads()));
                System.out.println(out);
            } finally {
                if (!client.waitFor(10, TimeUnit.SECONDS)) {
                    client.destroy();
                }
            }
        }
    }

    private static void row(StringBuilder out, String label, Bench.Memory m) {
        out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %d |%n", label, m.heapUsedKb(),
                m.heapCommittedKb(), m.directKb(), m.rssKb(), m.threads()));
    }

    /** Commits {@code count} events, each with its index and times, and tells the client the times. */
    private static int publish(BenchServer server, SessionId session, PrintStream toClient, int k, int count,
            Duration interval, String label) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++, k++) {
            long before = System.nanoTime();
            server.core.commands().execute(BenchServer.WORKER, session, new SessionCommand.AppendEvent("tick",
                    JsonValue.object(Map.of("bk", JsonValue.of(k), "t0", JsonValue.of(before)))));
            long after = System.nanoTime();
            toClient.println("T0 " + k + " " + before + " " + after);
            lines.add(String.format(Locale.ROOT, "%.1f", (after - before) / 1e6));
            Thread.sleep(interval.toMillis());
        }
        Bench.progress(label + ": " + count + " events, command ms " + lines);
        return k;
    }

    private static String expect(BlockingQueue<String> lines, String prefix, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("the client did not answer " + prefix + " in " + seconds + " s");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            Bench.progress("client: " + line);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Bench.progress("warning: condition not reached in " + seconds + " s");
                return;
            }
            Thread.sleep(50);
        }
    }
}
