package dev.phaseline.benchmarks;

import dev.phaseline.domain.SessionId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * {@code e2e}: session lifecycles create → start → complete over HTTP (java.net.http, HTTP/1.1 keep-alive, N
 * threads) against the store benchmark's plain-JDBC transition (one UPDATE + one INSERT per transaction) on the same
 * database, alternating per round. Compared per transition: one lifecycle counts as three transitions.
 */
final class EndToEndBench {

    static final String USAGE = """
            usage: java -jar benchmarks/target/phaseline-benchmarks.jar e2e [options]
              --threads N       client threads of each side (default 4); also the size of both pools
              --jit-warmup DUR  untimed run of each side before the first round (default 15s)
              --warmup DUR      before each timed window (default 3s)
              --duration DUR    each timed window (default 10s)
              --rounds N        rounds; the order of the sides alternates (default 4)""";

    private EndToEndBench() {
    }

    static void run(String[] argv) throws Exception {
        Bench.Args args = new Bench.Args(argv, USAGE, "threads", "jit-warmup", "warmup", "duration", "rounds");
        int threads = args.integer("threads", 4);
        Duration jitWarmup = args.duration("jit-warmup", Duration.ofSeconds(15));
        Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
        Duration duration = args.duration("duration", Duration.ofSeconds(10));
        int rounds = args.integer("rounds", 4);
        String machine = Bench.machine();
        Bench.progress("machine: " + machine);
        try (BenchServer server = BenchServer.start(threads, UnaryOperator.identity())) {
            CpuMeter cpu = CpuMeter.of(server.database.localDataDirectory());
            List<SessionId> jdbcSessions = server.runningSessions(threads, "jdbc");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = server.baseUrl() + "/api/v1/sessions";
            String owner = "Bearer " + server.token(BenchServer.OWNER);
            String worker = "Bearer " + server.token(BenchServer.WORKER);
            Throughput.Operation lifecycle = (thread, n) -> {
                HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(base))
                        .header("Authorization", owner).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"workflow\":\"bench\",\"title\":\"e2e " + n
                                + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                expect(created, 201);
                String location = created.headers().firstValue("Location").orElseThrow();
                String id = location.substring(location.lastIndexOf('/') + 1);
                expect(client.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/start"))
                        .header("Authorization", owner).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString()), 200);
                expect(client.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/complete"))
                        .header("Authorization", worker).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"result\":{\"ok\":true,\"n\":" + n + "}}"))
                        .build(), HttpResponse.BodyHandlers.ofString()), 200);
            };
            try (JdbcWrites jdbc = new JdbcWrites(server.database, threads, jdbcSessions)) {
                Throughput.Operation transition = (thread, n) -> jdbc.transition(thread, n, true, false);
                Bench.progress("JIT warm-up, each side " + jitWarmup.toSeconds() + " s");
                report("warm-up http", Throughput.measure(threads, Duration.ZERO, jitWarmup, cpu, lifecycle), 3);
                report("warm-up jdbc", Throughput.measure(threads, Duration.ZERO, jitWarmup, cpu, transition), 1);
                StringBuilder table = new StringBuilder();
                table.append("| round | side | lifecycles/s | transitions/s | errors | client CPU µs/transition"
                        + " | PostgreSQL CPU µs/transition | load (1 min) |\n"
                        + "|---:|---|---:|---:|---:|---:|---:|---:|\n");
                double[] ratios = new double[rounds];
                double httpSum = 0;
                double jdbcSum = 0;
                for (int round = 1; round <= rounds; round++) {
                    double http = 0;
                    double plain = 0;
                    for (int i = 0; i < 2; i++) {
                        boolean httpSide = (round % 2 == 1) == (i == 0);
                        String load = Bench.load1();
                        Throughput.Result r = httpSide
                                ? Throughput.measure(threads, warmup, duration, cpu, lifecycle)
                                : Throughput.measure(threads, warmup, duration, cpu, transition);
                        int per = httpSide ? 3 : 1;
                        double transitions = r.opsPerSecond() * per;
                        if (httpSide) {
                            http = transitions;
                        } else {
                            plain = transitions;
                        }
                        String line = String.format(Locale.ROOT, "| %d | %s | %s | %,.0f | %d | %.0f | %s | %s |",
                                round, httpSide ? "HTTP create→start→complete" : "JDBC UPDATE+INSERT",
                                httpSide ? String.format(Locale.ROOT, "%,.0f", r.opsPerSecond()) : "–",
                                transitions, r.errors(), r.clientCpuMicros() / per,
                                r.serverCpuMicros() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f",
                                        r.serverCpuMicros() / per), load);
                        table.append(line).append('\n');
                        Bench.progress(line);
                        if (r.errors() > 0) {
                            Bench.progress("first error: " + r.firstError());
                        }
                    }
                    ratios[round - 1] = http / plain;
                    httpSum += http;
                    jdbcSum += plain;
                }
                Arrays.sort(ratios);
                System.out.println("## e2e: HTTP lifecycle vs plain JDBC, per transition (" + threads
                        + " threads each, " + duration.toSeconds() + " s windows after " + warmup.toSeconds()
                        + " s warm-up)\n\nmachine: " + machine + "\n\n" + table
                        + String.format(Locale.ROOT, "%nHTTP %,.0f vs JDBC %,.0f transitions/s (mean of rounds):"
                                + " ratio %.2f (per round median %.2f, range %.2f–%.2f)%n", httpSum / rounds,
                                jdbcSum / rounds, httpSum / jdbcSum, (ratios[(rounds - 1) / 2] + ratios[rounds / 2])
                                        / 2, ratios[0], ratios[rounds - 1]));
            }
        }
    }

    private static void report(String label, Throughput.Result r, int per) {
        Bench.progress(String.format(Locale.ROOT, "%s: %,.0f transitions/s, %d errors%s", label,
                r.opsPerSecond() * per, r.errors(), r.firstError() == null ? "" : " (" + r.firstError() + ")"));
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().uri().getPath() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
    }
}
