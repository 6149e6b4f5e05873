package dev.phaseline.benchmarks;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.SessionId;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fanout}: this process is the server and holds N SSE streams on one session; {@link SseLoadClient} runs in
 * a separate JVM (each process has its own file-descriptor limit). Events are committed through the application API
 * in this process; the client measures receipt − the time the command returned, per stream and event, on the same
 * host's monotonic clock. One extra stream that never reads is held open (and stalled) during the second of three
 * measured phases, so the others' latency is compared with it against the phases before and after it. Then, unless
 * told otherwise, the same client and number of streams run against {@link BareSseServer}, the bare Javalin loop the
 * targets are set against, so that latency and memory per stream are reported as ratios to it from the same run.
 */
final class FanoutBench {

    static final String USAGE = """
            usage: java -jar benchmarks/target/phaseline-benchmarks.jar fanout [options]
              --streams N     SSE streams on the one session (default 19000)
              --events K      measured events in each of the three phases (default 10)
              --interval DUR  between events (default 300ms)
              --inflight N    client handshakes in flight at most (default 256)
              --stall-fill N  events of 16 KB the non-reading stream replays to stall (default 200)
              --baseline B    javalin (default): then the same load on a bare Javalin server in the same run; none""";

    static final Pattern P99 = Pattern.compile(" received=[1-9][0-9]* .*? p99=(-?[0-9.]+)");
    static final Pattern P99_FROM_START = Pattern.compile(" received=[1-9][0-9]* .*\\| from-command-start"
            + " .*?p99=(-?[0-9.]+)");
    private static final String[] PHASES = {"A: before the stalled stream", "B: stalled stream held open",
        "C: after it was closed"};

    private FanoutBench() {
    }

    /**
     * What one server's run measured: its report section; per measured phase the p99 (ms) as the load client
     * reports it first (Phaseline: from the commit's return; bare: from its loop's start) and from the earlier time
     * it reports second (Phaseline: from the command's start; bare: from the event's arrival); memory per stream
     * (KB).
     */
    private record Run(String report, double[] p99, double[] p99FromStart, double heapKbPerStream,
            double rssKbPerStream) {
    }

    private static String vmOption(String name) {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
    }

    static void run(String[] argv) throws Exception {
        Bench.Args args = new Bench.Args(argv, USAGE, "streams", "events", "interval", "inflight", "stall-fill",
                "baseline");
        int streams = args.integer("streams", 19_000);
        int events = args.integer("events", 10);
        Duration interval = args.duration("interval", Duration.ofMillis(300));
        int inflight = args.integer("inflight", 256);
        int stallFill = args.integer("stall-fill", 200);
        String baseline = args.text("baseline", "javalin");
        if (!baseline.equals("javalin") && !baseline.equals("none")) {
            throw new IllegalArgumentException("--baseline: javalin or none, was " + baseline + "\n" + USAGE);
        }
        // The standalone server sets these two ratios at start (HeapFootprint) unless the operator did; this driver
        // embeds the adapters and runs with what its JVM was given, so the report says which ones.
        String machine = Bench.machine() + ", MinHeapFreeRatio=" + vmOption("MinHeapFreeRatio")
                + " MaxHeapFreeRatio=" + vmOption("MaxHeapFreeRatio");
        Bench.progress("machine: " + machine);
        Run phaseline = measurePhaseline(streams, events, interval, inflight, stallFill);
        StringBuilder out = new StringBuilder();
        out.append("## fanout: ").append(streams).append(" SSE streams asked, ").append(events)
                .append(" events per phase, ").append(interval.toMillis()).append(" ms apart\n\nmachine: ")
                .append(machine).append("\n\n").append(phaseline.report());
        if (baseline.equals("javalin")) {
            Run bare = measureBare(streams, events, interval, inflight);
            out.append('\n').append(bare.report()).append('\n').append(compare(phaseline, bare));
        }
        System.out.println(out);
    }

    private static Run measurePhaseline(int streams, int events, Duration interval, int inflight, int stallFill)
            throws Exception {
        long pid = ProcessHandle.current().pid();
        Map<String, String> facts = new LinkedHashMap<>();
        // The stalled stream must stay open for the whole run: the write timeout that would end it is set long.
        try (BenchServer server = BenchServer.start(16, s -> s.withSseWriteTimeout(Duration.ofMinutes(30)))) {
            SessionId session = server.runningSessions(1, "fanout").get(0);
            String eventsPath = "/api/v1/sessions/" + session + "/events";
            Bench.Memory base = Bench.memory(pid);
            Bench.progress("Phaseline before connecting: " + base.describe());
            try (ChildJvm client = ChildJvm.start(List.of("-Xmx1g"), SseLoadClient.class,
                    List.of(Integer.toString(server.port()), server.token(BenchServer.OWNER)), line -> false)) {
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
                client.send("OPEN " + streams + " " + inflight + " " + eventsPath + "?after=" + after);
                String connected = client.expect("CONNECTED", 600);
                facts.put("connect", connected + " (ok, failed, ms, failures); load before " + loadBefore);
                Bench.progress(connected);
                int ok = Integer.parseInt(connected.split(" ")[1]);
                waitFor(() -> server.gauge("phaseline.sse.streams.open") >= ok, 60);
                Bench.Memory connectedMemory = Bench.memory(pid);
                Bench.progress("Phaseline after connecting: " + connectedMemory.describe());

                // 3. Warm-up, then the measured phases.
                int k = 0;
                k = publish(server, session, client, k, 5, interval, "warm-up");
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
                        client.send("STALL " + eventsPath + "?after=0");
                        client.expect("STALLED", 30);
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
                    k = publish(server, session, client, k, events, interval, labels[phase]);
                    Thread.sleep(2000);
                    cpu[phase] = Bench.processCpuNanos(pid) - cpu[phase];
                    clientCpu[phase] = Bench.processCpuNanos(client.pid()) - clientCpu[phase];
                    if (phase == 1) {
                        facts.put("after phase B", String.format(Locale.ROOT, "open streams %.0f, stalled %.0f",
                                server.gauge("phaseline.sse.streams.open"),
                                server.gauge("phaseline.sse.streams.stalled")));
                        Bench.progress(facts.get("after phase B"));
                    }
                    client.send("REPORT " + first + " " + k + " " + labels[phase]);
                    results[phase] = client.expect("RESULT", 120);
                    Bench.progress(results[phase]);
                    client.expect("STATE", 30);
                    if (phase == 1) {
                        client.send("UNSTALL");
                        client.expect("UNSTALLED", 30);
                    }
                }
                client.send("REPORT 0 0 state");
                client.expect("RESULT", 30);
                String state = client.expect("STATE", 30);
                Bench.Memory traffic = Bench.memory(pid);
                Bench.progress("Phaseline after traffic: " + traffic.describe());
                Thread.sleep(5000);
                Bench.Memory end = Bench.memory(pid);

                StringBuilder out = new StringBuilder();
                out.append("### Phaseline: ").append(ok).append(" SSE streams on one session\n\n");
                facts.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
                out.append("\nlatency = client receipt − nanoTime just after the command returned (ms), over all"
                        + " streams × events:\n\n");
                phaseTable(out, PHASES, loads, cpu, clientCpu, (double) ok * events, null, results);
                out.append("\nclient state: `").append(state).append("`\n\n");
                memoryTable(out, pid, new String[] {"before connecting", "after connecting",
                    "after the three phases (traffic)", "5 s later"}, base, connectedMemory, traffic, end);
                return perStream(out, base, traffic, ok, results);
            }
        }
    }

    /**
     * The same client and streams against {@link BareSseServer} in a JVM of its own with this JVM's heap free
     * ratios: a warm-up, then one phase of {@code SseClient.sendEvent} and one of raw writes, without the stalled
     * stream (it would block the bare loop).
     */
    private static Run measureBare(int streams, int events, Duration interval, int inflight) throws Exception {
        AtomicReference<ChildJvm> clientOf = new AtomicReference<>();
        List<String> options = List.of("-XX:MinHeapFreeRatio=" + vmOption("MinHeapFreeRatio"),
                "-XX:MaxHeapFreeRatio=" + vmOption("MaxHeapFreeRatio"));
        // The server's T0 lines go straight on to the client, which needs them for its report.
        try (ChildJvm server = ChildJvm.start(options, BareSseServer.class, List.of(), line -> {
            ChildJvm client = clientOf.get();
            if (line.startsWith("T0 ") && client != null) {
                client.send(line);
                return true;
            }
            return false;
        })) {
            String port = server.expect("PORT", 60).split(" ")[1];
            Bench.Memory base = Bench.memory(server.pid());
            Bench.progress("bare Javalin before connecting: " + base.describe());
            try (ChildJvm client = ChildJvm.start(List.of("-Xmx1g"), SseLoadClient.class, List.of(port, "none"),
                    line -> false)) {
                clientOf.set(client);
                String loadBefore = Bench.loadAverage();
                client.send("OPEN " + streams + " " + inflight + " " + BareSseServer.PATH);
                String connected = client.expect("CONNECTED", 600);
                Bench.progress("bare Javalin: " + connected);
                int ok = Integer.parseInt(connected.split(" ")[1]);
                waitFor(() -> clients(server) >= ok, 60);
                Bench.Memory connectedMemory = Bench.memory(server.pid());
                Bench.progress("bare Javalin after connecting: " + connectedMemory.describe());

                int k = sendBare(server, 0, 5, "javalin", interval).k();
                String[] labels = {"bare-sendEvent", "bare-raw-write"};
                String[] modes = {"javalin", "raw"};
                long[] cpu = new long[2];
                long[] clientCpu = new long[2];
                String[] loads = new String[2];
                String[] loops = new String[2];
                String[] results = new String[2];
                for (int phase = 0; phase < 2; phase++) {
                    Thread.sleep(1000);
                    loads[phase] = Bench.loadAverage();
                    int first = k;
                    cpu[phase] = Bench.processCpuNanos(server.pid());
                    clientCpu[phase] = Bench.processCpuNanos(client.pid());
                    Sent sent = sendBare(server, k, events, modes[phase], interval);
                    k = sent.k();
                    loops[phase] = sent.loops();
                    Thread.sleep(2000);
                    cpu[phase] = Bench.processCpuNanos(server.pid()) - cpu[phase];
                    clientCpu[phase] = Bench.processCpuNanos(client.pid()) - clientCpu[phase];
                    client.send("REPORT " + first + " " + k + " " + labels[phase]);
                    results[phase] = client.expect("RESULT", 120);
                    Bench.progress(results[phase]);
                    client.expect("STATE", 30);
                }
                Bench.Memory traffic = Bench.memory(server.pid());
                Bench.progress("bare Javalin after traffic: " + traffic.describe());

                StringBuilder out = new StringBuilder();
                out.append("### Same run, bare Javalin: ").append(ok).append(" streams on `")
                        .append(BareSseServer.class.getSimpleName()).append("`\n\n")
                        .append("One SSE route, no Phaseline; each event goes out in one loop over the clients on one"
                                + " thread (`SseClient.sendEvent`, then pre-encoded bytes written and flushed on each"
                                + " response). Same load client; no stalled stream, which would block the loop. Own JVM"
                                + " with this JVM's heap free ratios.\n\n- connect: ").append(connected)
                        .append(" (ok, failed, ms, failures); load before ").append(loadBefore)
                        .append("\n\nlatency = client receipt − nanoTime when the event's loop started (ms), the"
                                + " wait for the loop left out as in the issue's reference figure;"
                                + " \"from-command-start\" is from when the server got the event, so with that"
                                + " wait, at the same offered load as Phaseline:\n\n");
                phaseTable(out, new String[] {"sendEvent loop", "raw write loop"}, loads, cpu, clientCpu,
                        (double) ok * events, loops, results);
                out.append('\n');
                memoryTable(out, server.pid(), new String[] {"before connecting", "after connecting",
                    "after both phases (traffic)"}, base, connectedMemory, traffic);
                return perStream(out, base, traffic, ok, results);
            }
        }
    }

    /** Appends memory per stream after traffic and returns the run's figures. */
    private static Run perStream(StringBuilder out, Bench.Memory base, Bench.Memory traffic, int streams,
            String[] results) {
        double heap = (traffic.heapUsedKb() - base.heapUsedKb()) / (double) streams;
        double rss = (traffic.rssKb() - base.rssKb()) / (double) streams;
        out.append(String.format(Locale.ROOT, "%nper stream after traffic (minus baseline, / %d): heap %.1f KB,"
                + " RSS %.1f KB; threads %d → %d%n", streams, heap, rss, base.threads(), traffic.threads()));
        return new Run(out.toString(), p99s(results, P99), p99s(results, P99_FROM_START), heap, rss);
    }

    /** Where a run of bare events ended: the next event's index and the loops' "queued+sent" ms. */
    private record Sent(int k, String loops) {
    }

    private static Sent sendBare(ChildJvm server, int k, int count, String mode, Duration interval)
            throws InterruptedException {
        int first = k;
        for (; k < first + count; k++) {
            server.send("SEND " + k + " " + mode);
            Thread.sleep(interval.toMillis());
        }
        List<String> loops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] sent = server.expect("SENT", 300).split(" ");
            loops.add(sent[2] + "+" + sent[3]);
        }
        Bench.progress(mode + ": " + count + " events, queued+loop ms " + loops);
        return new Sent(k, String.join(" ", loops));
    }

    private static int clients(ChildJvm server) {
        try {
            server.send("COUNT");
            return Integer.parseInt(server.expect("CLIENTS", 30).split(" ")[1]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String compare(Run phaseline, Run bare) {
        double[] p = phaseline.p99();
        double[] b = bare.p99();
        double[] q = bare.p99FromStart();
        double[] r = phaseline.p99FromStart();
        StringBuilder out = new StringBuilder("### Phaseline against the bare server, same run\n\n");
        out.append("| p99 ms | Phaseline A / B / C, from the commit | bare sendEvent loop | bare raw write loop |\n"
                + "|---|---|---:|---:|\n");
        out.append(String.format(Locale.ROOT, "| bare timed from its loop's start (the issue's method) | %.1f / %.1f"
                + " / %.1f | %.1f | %.1f |%n", p[0], p[1], p[2], b[0], b[1]));
        out.append(String.format(Locale.ROOT, "| bare timed from the event's arrival (the same offered load);"
                + " Phaseline from the command's start | %.1f / %.1f / %.1f | %.1f | %.1f |%n%n", r[0], r[1], r[2], q[0],
                q[1]));
        out.append(String.format(Locale.ROOT, "- p99 ratio Phaseline ÷ bare sendEvent loop from its start: %.2f /"
                + " %.2f / %.2f; from the event's arrival: %.2f / %.2f / %.2f%n", p[0] / b[0], p[1] / b[0],
                p[2] / b[0], p[0] / q[0], p[1] / q[0], p[2] / q[0]));
        out.append(String.format(Locale.ROOT, "- per stream after traffic, Phaseline ÷ bare: heap %.1f ÷ %.1f KB ="
                + " %.2f, RSS %.1f ÷ %.1f KB = %.2f%n", phaseline.heapKbPerStream(), bare.heapKbPerStream(),
                phaseline.heapKbPerStream() / bare.heapKbPerStream(), phaseline.rssKbPerStream(),
                bare.rssKbPerStream(), phaseline.rssKbPerStream() / bare.rssKbPerStream()));
        return out.toString();
    }

    private static void phaseTable(StringBuilder out, String[] names, String[] loads, long[] cpu, long[] clientCpu,
            double deliveries, String[] loops, String[] results) {
        out.append("| phase | load (1/5/15 min) | CPU per delivery: server, client (µs) |")
                .append(loops == null ? "" : " queued+loop ms per event |").append(" result |\n|---|---|---|")
                .append(loops == null ? "" : "---|").append("---|\n");
        for (int phase = 0; phase < results.length; phase++) {
            out.append("| ").append(names[phase]).append(" | ").append(loads[phase])
                    .append(String.format(Locale.ROOT, " | %.1f, %.1f", cpu[phase] / 1e3 / deliveries,
                            clientCpu[phase] / 1e3 / deliveries))
                    .append(loops == null ? "" : " | " + loops[phase])
                    .append(" | `").append(results[phase]).append("` |\n");
        }
    }

    private static void memoryTable(StringBuilder out, long pid, String[] labels, Bench.Memory... rows) {
        out.append("| server (pid ").append(pid).append(") | heap after full GC KB | heap committed KB"
                + " | direct buffers KB | RSS KB | threads |\n").append("|---|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.length; i++) {
            Bench.Memory m = rows[i];
            out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %d |%n", labels[i],
                    m.heapUsedKb(), m.heapCommittedKb(), m.directKb(), m.rssKb(), m.threads()));
        }
    }

    /** @return the p99 (ms) the pattern finds in each RESULT line, NaN where nothing was received */
    static double[] p99s(String[] results, Pattern pattern) {
        double[] p99 = new double[results.length];
        for (int i = 0; i < results.length; i++) {
            Matcher m = pattern.matcher(results[i]);
            p99[i] = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }
        return p99;
    }

    /** Commits {@code count} events, each with its index and times, and tells the client the times. */
    private static int publish(BenchServer server, SessionId session, ChildJvm client, int k, int count,
            Duration interval, String label) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++, k++) {
            long before = System.nanoTime();
            server.core.commands().execute(BenchServer.WORKER, session, new SessionCommand.AppendEvent("tick",
                    JsonValue.object(Map.of("bk", JsonValue.of(k), "t0", JsonValue.of(before)))));
            long after = System.nanoTime();
            client.send("T0 " + k + " " + before + " " + after);
            lines.add(String.format(Locale.ROOT, "%.1f", (after - before) / 1e6));
            Thread.sleep(interval.toMillis());
        }
        Bench.progress(label + ": " + count + " events, command ms " + lines);
        return k;
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
