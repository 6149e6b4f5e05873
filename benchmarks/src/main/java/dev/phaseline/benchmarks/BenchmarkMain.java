package dev.phaseline.benchmarks;

import dev.phaseline.adapters.postgres.PostgresAdapter;
import dev.phaseline.adapters.postgres.PostgresSettings;
import dev.phaseline.application.ListSessions;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.application.SessionPage;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * The load driver. {@code store}: on one PostgreSQL, in one run, transitions per second through the application
 * API on the PostgreSQL adapter against plain JDBC doing the same SQL work, at each thread count, and then the
 * latency of list queries over the loaded sessions. Prints a Markdown report and writes it to a file.
 */
public final class BenchmarkMain {

    private static final String BENCH_TENANT = "bench";
    private static final Principal OWNER = Principal.of("bench-owner", BENCH_TENANT, Role.USER);
    private static final Principal WORKER = Principal.of("bench-worker", BENCH_TENANT, Role.WORKER);

    private BenchmarkMain() {
    }

    /**
     * @param args see {@link BenchmarkOptions#USAGE}
     */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        try {
            switch (command) {
                case "http" -> {
                    HttpBench.run(args);
                    return;
                }
                case "fanout" -> {
                    FanoutBench.run(args);
                    return;
                }
                case "e2e" -> {
                    EndToEndBench.run(args);
                    return;
                }
                case "coldstart" -> {
                    ColdStartBench.run(args);
                    return;
                }
                case "redis" -> {
                    RedisBench.run(args);
                    return;
                }
                default -> {
                    // store, below
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        String report = run(options);
        Path out = options.out();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("(written to " + out.toAbsolutePath().normalize() + ")");
    }

    static String run(BenchmarkOptions options) throws SQLException, IOException {
        Map<String, String> machine = machine();
        String loadAtStart = loadAverage();
        progress("load average at start: " + loadAtStart);
        try (BenchmarkDatabase database = BenchmarkDatabase.open();
                PostgresAdapter postgres = PostgresAdapter.start(PostgresSettings.of(database.jdbcUrl(),
                        database.user(), database.password()).withPoolSize(options.poolSize()));
                PhaselineCore core = PhaselineCore.builder().store(postgres.sessionStore())
                        .eventLog(postgres.eventLog()).sweepInterval(Duration.ZERO).build()) {
            Map<String, String> server = database.describe();
            CpuMeter cpu = CpuMeter.of(database.localDataDirectory());
            progress("PostgreSQL " + server.get("server_version") + (database.embedded() ? " (embedded)" : "")
                    + " " + server);
            long existing = count(database, "SELECT count(*) FROM sessions");
            if (existing > 0) {
                progress("warning: the database already holds " + existing + " sessions");
            }

            // 1. The list benchmark's data, then its latencies (before the write benchmark churns the tables).
            long loadStart = System.nanoTime();
            SessionLoader.load(database, options.sessions(), 42);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long total = count(database, "SELECT count(*) FROM sessions");
            progress(String.format(Locale.ROOT, "loaded %,d sessions in %.1f s (table holds %,d)",
                    options.sessions(), loadSeconds, total));
            List<ListLatency.Result> lists = listBenchmarks(core, options);

            // 2. Writes: one running session per thread and side, created through the library.
            int maxThreads = options.maxThreads();
            List<SessionId> librarySessions = BenchServer.runningSessions(core, OWNER, maxThreads, "writer");
            List<SessionId> jdbcSessions = BenchServer.runningSessions(core, OWNER, maxThreads, "writer");
            String loadBeforeWrites = loadAverage();
            List<WriteRow> writes = new ArrayList<>();
            List<String> roundLines = new ArrayList<>();
            Map<String, String> breakdown = new LinkedHashMap<>();
            try (JdbcWrites jdbc = new JdbcWrites(database, options.poolSize(), jdbcSessions)) {
                for (int threads : options.threads()) {
                    writes.add(new WriteRow(threads));
                }
                for (Side side : Side.values()) {
                    progress("JIT warm-up: " + side.label + " at " + maxThreads + " threads for "
                            + seconds(options.jitWarmup()));
                    writeWindow(side, maxThreads, core, librarySessions, jdbc, options.jitWarmup(),
                            Duration.ofMillis(1), cpu);
                }
                for (int round = 1; round <= options.rounds(); round++) {
                    for (WriteRow row : writes) {
                        List<Side> order = round % 2 == 1 ? List.of(Side.values())
                                : List.of(Side.JDBC_MINIMAL, Side.JDBC, Side.LIBRARY);
                        for (Side side : order) {
                            Throughput.Result result = writeWindow(side, row.threads, core, librarySessions, jdbc,
                                    options.warmup(), options.duration(), cpu);
                            row.add(side, result);
                            String line = String.format(Locale.ROOT, "round %d, %2d threads, %-13s %,8.0f ops/s"
                                    + " (%,d ops in %.1f s, %d errors); CPU/op: client %.0f µs, server %s",
                                    round, row.threads, side.label, result.opsPerSecond(), result.ops(),
                                    result.seconds(), result.errors(), result.clientCpuMicros(),
                                    micros(result.serverCpuMicros()));
                            roundLines.add(line);
                            progress(line);
                            if (result.errors() > 0) {
                                progress("first error: " + result.firstError());
                            }
                        }
                    }
                }
                // 3. Where the time goes, per operation, in separate windows (the timers cost a little).
                TimedSessionStore timed = new TimedSessionStore(postgres.sessionStore());
                try (PhaselineCore timedCore = PhaselineCore.builder().store(timed).eventLog(postgres.eventLog())
                        .sweepInterval(Duration.ZERO).build()) {
                    Duration window = options.duration().compareTo(Duration.ofSeconds(10)) > 0
                            ? Duration.ofSeconds(10) : options.duration();
                    for (int threads : options.threads()) {
                        breakdown.put("library, " + threads + " thread(s)",
                                libraryBreakdown(database, cpu, timedCore, timed, librarySessions, threads,
                                        options.warmup(), window));
                        breakdown.put("JDBC, " + threads + " thread(s)",
                                jdbcBreakdown(database, cpu, jdbc, threads, options.warmup(), window));
                    }
                }
            }
            String loadAtEnd = loadAverage();
            long events = count(database, "SELECT count(*) FROM session_events");
            progress(String.format(Locale.ROOT, "session_events holds %,d rows", events));
            return report(options, machine, server, database.embedded(), loadAtStart, loadBeforeWrites,
                    loadAtEnd, total, loadSeconds, writes, roundLines, breakdown, lists);
        }
    }

    /** The three sides of the write benchmark. */
    enum Side {
        LIBRARY("library"), JDBC("JDBC"), JDBC_MINIMAL("JDBC minimal");

        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    /** The results of one thread count, summed over the rounds. */
    static final class WriteRow {
        final int threads;
        /** Per side: ops, window nanos, client CPU nanos, server CPU nanos (-1 once unknown). */
        final Map<Side, long[]> sums = new LinkedHashMap<>();
        /** Per side: ops/s of each round, in round order. */
        final Map<Side, List<Double>> perRound = new LinkedHashMap<>();
        long errors;

        WriteRow(int threads) {
            this.threads = threads;
        }

        void add(Side side, Throughput.Result result) {
            long[] sum = sums.computeIfAbsent(side, s -> new long[4]);
            sum[0] += result.ops();
            sum[1] += (long) (result.seconds() * 1e9);
            sum[2] += result.clientCpuNanos();
            sum[3] = sum[3] < 0 || result.serverCpuNanos() < 0 ? -1 : sum[3] + result.serverCpuNanos();
            errors += result.errors();
            perRound.computeIfAbsent(side, k -> new ArrayList<>()).add(result.opsPerSecond());
        }

        /** @return the library/other ratio of each round (both measured back to back), sorted */
        double[] roundRatios(Side other) {
            List<Double> library = perRound.getOrDefault(Side.LIBRARY, List.of());
            List<Double> baseline = perRound.getOrDefault(other, List.of());
            int rounds = Math.min(library.size(), baseline.size());
            double[] ratios = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                ratios[i] = library.get(i) / baseline.get(i);
            }
            Arrays.sort(ratios);
            return ratios;
        }

        double opsPerSecond(Side side) {
            long[] sum = sums.get(side);
            return sum == null || sum[1] == 0 ? 0 : sum[0] / (sum[1] / 1e9);
        }

        double clientCpuMicros(Side side) {
            long[] sum = sums.get(side);
            return sum == null || sum[0] == 0 ? 0 : sum[2] / 1e3 / sum[0];
        }

        double serverCpuMicros(Side side) {
            long[] sum = sums.get(side);
            return sum == null || sum[0] == 0 || sum[3] < 0 ? -1 : sum[3] / 1e3 / sum[0];
        }
    }

    private static Throughput.Result writeWindow(Side side, int threads, PhaselineCore core,
            List<SessionId> librarySessions, JdbcWrites jdbc, Duration warmup, Duration window, CpuMeter cpu) {
        return switch (side) {
            case LIBRARY -> Throughput.measure(threads, warmup, window, cpu,
                    (thread, n) -> core.commands().execute(WORKER, librarySessions.get(thread), tick(n)));
            case JDBC -> Throughput.measure(threads, warmup, window, cpu,
                    (thread, n) -> jdbc.transition(thread, n, true, false));
            case JDBC_MINIMAL -> Throughput.measure(threads, warmup, window, cpu,
                    (thread, n) -> jdbc.transition(thread, n, false, false));
        };
    }

    private static SessionCommand tick(long n) {
        return new SessionCommand.AppendEvent("tick", JsonValue.object(Map.of("n", JsonValue.of(n))));
    }

    private static String libraryBreakdown(BenchmarkDatabase database, CpuMeter cpu, PhaselineCore timedCore,
            TimedSessionStore timed, List<SessionId> sessions, int threads, Duration warmup, Duration window) {
        LongAdder opNanos = new LongAdder();
        LongAdder ops = new LongAdder();
        // Warm up untimed, then reset and time exactly one window.
        Throughput.measure(threads, warmup, Duration.ofMillis(1), cpu,
                (thread, n) -> timedCore.commands().execute(WORKER, sessions.get(thread), tick(n)));
        timed.reset();
        database.resetStatements();
        Throughput.Result result = Throughput.measure(threads, Duration.ZERO, window, cpu, (thread, n) -> {
            long start = System.nanoTime();
            timedCore.commands().execute(WORKER, sessions.get(thread), tick(n));
            opNanos.add(System.nanoTime() - start);
            ops.increment();
        });
        double op = micros(opNanos.sum(), ops.sum());
        double find = micros(timed.findNanos.sum(), timed.finds.sum());
        double commit = micros(timed.commitNanos.sum(), timed.commits.sum());
        return String.format(Locale.ROOT, "%,.0f ops/s; per op %.0f µs = find (SELECT via Hibernate) %.0f µs"
                + " + commit (UPDATE…INSERT CTE) %.0f µs + rest (domain, access, propagation) %.0f µs;"
                + " CPU/op client %.0f µs, server %s", result.opsPerSecond(), op, find, commit, op - find - commit,
                result.clientCpuMicros(), micros(result.serverCpuMicros()))
                + statementLines(database, result);
    }

    private static String statementLines(BenchmarkDatabase database, Throughput.Result result) {
        StringBuilder lines = new StringBuilder();
        for (String line : database.statements(Math.max(1, result.ops() / 2))) {
            lines.append("\n  - `").append(line).append('`');
        }
        return lines.toString();
    }

    private static String micros(double value) {
        return value < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f µs", value);
    }

    private static String jdbcBreakdown(BenchmarkDatabase database, CpuMeter cpu, JdbcWrites jdbc, int threads,
            Duration warmup, Duration window) {
        Throughput.measure(threads, warmup, Duration.ofMillis(1), cpu,
                (thread, n) -> jdbc.transition(thread, n, true, false));
        jdbc.resetTimings();
        database.resetStatements();
        Throughput.Result result = Throughput.measure(threads, Duration.ZERO, window, cpu,
                (thread, n) -> jdbc.transition(thread, n, true, true));
        long ops = jdbc.timedOps.sum();
        double acquire = micros(jdbc.acquireNanos.sum(), ops);
        double update = micros(jdbc.updateNanos.sum(), ops);
        double insert = micros(jdbc.insertNanos.sum(), ops);
        double commit = micros(jdbc.commitNanos.sum(), ops);
        return String.format(Locale.ROOT, "%,.0f ops/s; per op %.0f µs = pool %.0f µs + UPDATE %.0f µs"
                + " + INSERT %.0f µs + COMMIT %.0f µs; CPU/op client %.0f µs, server %s", result.opsPerSecond(),
                acquire + update + insert + commit, acquire, update, insert, commit, result.clientCpuMicros(),
                micros(result.serverCpuMicros()))
                + statementLines(database, result);
    }

    private static double micros(long nanos, long count) {
        return count == 0 ? 0 : nanos / 1e3 / count;
    }

    private static List<ListLatency.Result> listBenchmarks(PhaselineCore core, BenchmarkOptions options) {
        String tenant = SessionLoader.TENANTS.get(0);
        Principal support = Principal.of("support-1", tenant, Role.SUPPORT);
        int limit = ListSessions.DEFAULT_LIMIT;
        ListSessions firstPage = ListSessions.firstPage();
        SessionPage page1 = core.queries().list(support, firstPage);
        if (page1.nextCursor() == null) {
            throw new IllegalStateException("the tenant has a single page; load more sessions");
        }
        ListSessions secondPage = new ListSessions(Set.of(), null, null, limit, page1.nextCursor());
        ListSessions running = new ListSessions(Set.of(SessionStatus.RUNNING), null, null, limit, null);
        ListSessions failedOrKilled = new ListSessions(Set.of(SessionStatus.FAILED, SessionStatus.KILLED), null,
                null, limit, null);
        Principal[] owners = new Principal[SessionLoader.OWNERS_PER_TENANT];
        for (int i = 0; i < owners.length; i++) {
            owners[i] = Principal.of(SessionLoader.owner(i), tenant, Role.USER);
        }
        List<ListLatency.Result> results = new ArrayList<>();
        Duration warmup = options.listWarmup();
        Duration window = options.listDuration();
        results.add(listOne(core, "tenant, newest first (support, all but deleted)", warmup, window,
                n -> new ListLatency.Call(support, firstPage)));
        results.add(listOne(core, "owner (a user's own sessions; 200 owners in turn)", warmup, window,
                n -> new ListLatency.Call(owners[(int) (n % owners.length)], firstPage)));
        results.add(listOne(core, "status = running (support)", warmup, window,
                n -> new ListLatency.Call(support, running)));
        results.add(listOne(core, "status in (failed, killed) (support)", warmup, window,
                n -> new ListLatency.Call(support, failedOrKilled)));
        results.add(listOne(core, "tenant, second page via cursor (support)", warmup, window,
                n -> new ListLatency.Call(support, secondPage)));
        return results;
    }

    private static ListLatency.Result listOne(PhaselineCore core, String filter, Duration warmup, Duration window,
            LongFunction<ListLatency.Call> calls) {
        ListLatency.Result result = ListLatency.measure(core, filter, warmup, window, calls);
        progress(String.format(Locale.ROOT, "list %-50s p50 %.2f ms, p99 %.2f ms (%,d calls, %d rows/page)",
                filter, result.p50(), result.p99(), result.calls(), result.rows()));
        return result;
    }

    private static String report(BenchmarkOptions options, Map<String, String> machine, Map<String, String> server,
            boolean embedded, String loadAtStart, String loadBeforeWrites, String loadAtEnd, long sessions,
            double loadSeconds, List<WriteRow> writes, List<String> roundLines, Map<String, String> breakdown,
            List<ListLatency.Result> lists) {
        StringBuilder md = new StringBuilder();
        md.append("# Phaseline store benchmark\n\n");
        md.append("Run at ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(".\n\n");
        md.append("| | |\n|---|---|\n");
        machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("| PostgreSQL | ").append(server.get("server_version"))
                .append(embedded ? " (embedded, zonky)" : " (external)").append(" |\n");
        md.append("| PostgreSQL settings | ");
        server.entrySet().stream().filter(e -> !e.getKey().equals("server_version"))
                .forEach(e -> md.append(e.getKey()).append('=').append(e.getValue()).append(' '));
        md.append("|\n");
        md.append("| pool size (each side) | ").append(options.poolSize()).append(" |\n");
        md.append("| windows | JIT warm-up ").append(seconds(options.jitWarmup()))
                .append(" per side before the first window; then per window warm-up ")
                .append(seconds(options.warmup())).append(", timed ")
                .append(seconds(options.duration())).append(", ").append(options.rounds())
                .append(" round(s) per configuration, order alternating |\n");
        md.append("| load average (1/5/15 min) | start ").append(loadAtStart).append("; before writes ")
                .append(loadBeforeWrites).append("; end ").append(loadAtEnd).append(" |\n\n");

        md.append("## Transitions per second\n\n");
        md.append("Library: `commands().execute(worker, id, AppendEvent(\"tick\", {n}))` on a running session of"
                + " its own per thread. JDBC: per transaction UPDATE (version, last_event_seq + 1, updated_at,"
                + " last_heartbeat_at) + INSERT event + COMMIT. JDBC minimal: the same without"
                + " last_heartbeat_at.\n\n");
        md.append("ops/s are totals over all rounds (operations / timed seconds); the ratio is of those totals,"
                + " and in brackets the median and range of the per-round ratios (each round measures the sides"
                + " back to back, so a round's ratio sees the same background load on both).\n\n");
        md.append("| threads | library ops/s | JDBC ops/s | ratio library/JDBC | JDBC minimal ops/s |"
                + " ratio library/minimal |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        for (WriteRow row : writes) {
            double library = row.opsPerSecond(Side.LIBRARY);
            double jdbc = row.opsPerSecond(Side.JDBC);
            double minimal = row.opsPerSecond(Side.JDBC_MINIMAL);
            md.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f (%s) | %,.0f | %.2f (%s) |%n",
                    row.threads, library, jdbc, library / jdbc, Bench.spread(row.roundRatios(Side.JDBC)), minimal,
                    library / minimal, Bench.spread(row.roundRatios(Side.JDBC_MINIMAL))));
        }
        md.append("\nCPU per operation (µs, client = this JVM incl. GC/JIT, server = all PostgreSQL processes):\n\n");
        md.append("| threads | library client | library server | JDBC client | JDBC server |"
                + " JDBC minimal client | JDBC minimal server |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (WriteRow row : writes) {
            md.append("| ").append(row.threads);
            for (Side side : Side.values()) {
                md.append(String.format(Locale.ROOT, " | %.0f | %s", row.clientCpuMicros(side),
                        micros(row.serverCpuMicros(side)).replace(" µs", "")));
            }
            md.append(" |\n");
        }
        long errors = writes.stream().mapToLong(r -> r.errors).sum();
        md.append("\nErrors during timed windows: ").append(errors).append(".\n\n");
        md.append("Per window:\n\n```\n");
        roundLines.forEach(line -> md.append(line).append('\n'));
        md.append("```\n\n");
        md.append("## Where the time goes (separate timed windows)\n\n");
        breakdown.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append('\n');

        md.append("## List latency\n\n");
        md.append(String.format(Locale.ROOT, "%,d sessions in `sessions` (loaded by COPY in %.1f s; tenants acme"
                + " 50 %%, globex 25 %%, initech 15 %%, umbrella 10 %%; 200 owners per tenant; statuses created 10 %%,"
                + " running 15 %%, paused 5 %%, completed 50 %%, failed 10 %%, killed 5 %%, deleted 5 %%)."
                + " `queries().list(principal, ListSessions…)` in tenant acme, page size %d, one thread.%n%n",
                sessions, loadSeconds, ListSessions.DEFAULT_LIMIT));
        md.append("| filter | p50 ms | p99 ms | mean ms | calls | rows/page |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (ListLatency.Result r : lists) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %,d | %d |%n", r.filter(), r.p50(),
                    r.p99(), r.mean(), r.calls(), r.rows()));
        }
        return md.toString();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Map<String, String> machine() {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("CPUs (available processors)", String.valueOf(Runtime.getRuntime().availableProcessors()));
        machine.put("memory", memTotal());
        machine.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("JVM max heap", (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        return machine;
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f (1 min)",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static long count(BenchmarkDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void progress(String line) {
        System.err.println("[bench] " + line);
    }
}
