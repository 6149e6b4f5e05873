package dev.phaseline.benchmarks;

import dev.phaseline.domain.SessionId;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code e2e}: session lifecycles create → start → complete over HTTP (N threads, each with its own HTTP/1.1
 * keep-alive connection) against the store benchmark's plain-JDBC transition (one UPDATE + one INSERT per
 * transaction) on the same database, in turns within each round. Compared per transition: one lifecycle counts as
 * three transitions.
 *
 * <p>A third side puts the same plain-JDBC transition behind a bare Javalin route (defaults, no Phaseline, no token,
 * a small JSON body read and a small JSON answer), three requests per lifecycle on the lean client whatever
 * {@code --client} says: what HTTP on Javalin costs by itself on this machine, so that the gap between Phaseline and
 * plain JDBC can be split into HTTP's part and the rest.
 *
 * <p>The load generator runs in this JVM, so its CPU is measured apart (the CPU time of the load threads) from the
 * server's (the rest of the JVM). The default client is {@link LeanHttpClient}, a blocking socket per thread, which
 * costs little CPU; {@code --client jdk} uses {@code java.net.http} instead, as earlier runs did. That split holds
 * for the lean client only: {@code java.net.http} does its I/O on threads of its own, which then count as server.
 */
final class EndToEndBench {

    static final String USAGE = """
            usage: java -jar benchmarks/target/phaseline-benchmarks.jar e2e [options]
              --threads N       client threads of each side (default 4); also the size of both pools
              --client NAME     lean (default: one blocking socket per thread) or jdk (java.net.http)
              --jit-warmup DUR  untimed run of each side before the first round, rounded up to whole 10 s
                                slices, at least one (default 60s)
              --warmup DUR      before each timed window (default 3s)
              --duration DUR    each timed window (default 10s)
              --rounds N        rounds; each starts with the next of the three sides in turn (default 4)""";

    private static final Duration SLICE = Duration.ofSeconds(10);

    private EndToEndBench() {
    }

    static void run(String[] argv) throws Exception {
        Bench.Args args = new Bench.Args(argv, USAGE, "threads", "client", "jit-warmup", "warmup", "duration",
                "rounds");
        int threads = args.integer("threads", 4);
        String clientName = args.text("client", "lean");
        if (!clientName.equals("lean") && !clientName.equals("jdk")) {
            throw new IllegalArgumentException("--client: lean or jdk\n" + USAGE);
        }
        Duration jitWarmup = args.duration("jit-warmup", Duration.ofSeconds(60));
        Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
        Duration duration = args.duration("duration", Duration.ofSeconds(10));
        int rounds = args.integer("rounds", 4);
        String machine = Bench.machine();
        Bench.progress("machine: " + machine);
        try (BenchServer server = BenchServer.start(threads, UnaryOperator.identity())) {
            CpuMeter cpu = CpuMeter.of(server.database.localDataDirectory());
            List<SessionId> jdbcSessions = server.runningSessions(threads, "jdbc");
            String owner = "Bearer " + server.token(BenchServer.OWNER);
            String worker = "Bearer " + server.token(BenchServer.WORKER);
            Throughput.Operation lifecycle = clientName.equals("lean")
                    ? leanLifecycle(server, threads, owner, worker)
                    : jdkLifecycle(server, owner, worker);
            try (JdbcWrites jdbc = new JdbcWrites(server.database, threads, jdbcSessions);
                    BareServer bare = BareServer.start(jdbc)) {
                Throughput.Operation transition = (thread, n) -> jdbc.transition(thread, n, true, false);
                Side[] sides = {
                    new Side("HTTP create→start→complete", "HTTP", lifecycle, 3),
                    new Side("JDBC UPDATE+INSERT", "JDBC", transition, 1),
                    new Side("bare Javalin + JDBC, 3 requests", "bare", bareLifecycle(bare.port(), threads), 3)};
                StringBuilder warm = new StringBuilder("| JIT warm-up slice | HTTP transitions/s | JDBC transitions/s"
                        + " | bare Javalin + JDBC transitions/s | load (1 min) |\n|---:|---:|---:|---:|---:|\n");
                Bench.progress("JIT warm-up, each side " + jitWarmup.toSeconds() + " s in " + SLICE.toSeconds()
                        + " s slices");
                long slices = Math.max(1, (jitWarmup.toMillis() + SLICE.toMillis() - 1) / SLICE.toMillis());
                for (int slice = 1; slice <= slices; slice++) {
                    warm.append("| ").append(slice);
                    for (Side side : sides) {
                        Throughput.Result r = Throughput.measure(threads, Duration.ZERO, SLICE, cpu, side.operation());
                        report("warm-up " + side.shortName() + " " + slice, r, side.transitions());
                        warm.append(String.format(Locale.ROOT, " | %,.0f", r.opsPerSecond() * side.transitions()));
                    }
                    warm.append(" | ").append(Bench.load1()).append(" |\n");
                }
                StringBuilder table = new StringBuilder();
                table.append("| round | side | lifecycles/s | transitions/s | errors | load generator CPU µs/transition"
                        + " | server JVM CPU µs/transition | PostgreSQL CPU µs/transition | load (1 min) |\n"
                        + "|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
                double[] sums = new double[sides.length];
                double[][] perRound = new double[sides.length][rounds];
                for (int round = 1; round <= rounds; round++) {
                    for (int i = 0; i < sides.length; i++) {
                        // Each round starts with the next side, so that no side always runs first or last.
                        int index = (i + round - 1) % sides.length;
                        Side side = sides[index];
                        String load = Bench.load1();
                        Throughput.Result r = Throughput.measure(threads, warmup, duration, cpu, side.operation());
                        int per = side.transitions();
                        double transitions = r.opsPerSecond() * per;
                        perRound[index][round - 1] = transitions;
                        sums[index] += transitions;
                        String line = String.format(Locale.ROOT, "| %d | %s | %s | %,.0f | %d | %.0f | %.0f | %s"
                                + " | %s |", round, side.name(), per == 3 ? String.format(Locale.ROOT, "%,.0f",
                                        r.opsPerSecond()) : "–", transitions, r.errors(), r.loadCpuMicros() / per,
                                r.restCpuMicros() / per, r.serverCpuMicros() < 0 ? "n/a"
                                        : String.format(Locale.ROOT, "%.0f", r.serverCpuMicros() / per), load);
                        table.append(line).append('\n');
                        Bench.progress(line);
                        if (r.errors() > 0) {
                            Bench.progress("first error: " + r.firstError());
                        }
                    }
                }
                System.out.println("## e2e: HTTP lifecycle vs plain JDBC, per transition (" + threads
                        + " threads each, client " + clientName + ", " + duration.toSeconds()
                        + " s windows after " + warmup.toSeconds() + " s warm-up)\n\nmachine: " + machine + "\n\n"
                        + warm + "\n" + table + "\n"
                        + ratio("HTTP", sums[0], "JDBC", sums[1], perRound[0], perRound[1])
                        + ratio("bare Javalin + JDBC", sums[2], "JDBC", sums[1], perRound[2], perRound[1])
                        + ratio("HTTP", sums[0], "bare Javalin + JDBC", sums[2], perRound[0], perRound[2])
                        + "\n(On the JDBC side the load generator is the JDBC client itself; \"server JVM\" is then"
                        + " only this JVM's housekeeping: GC, JIT, pools. On the two HTTP sides \"server JVM\" is"
                        + " the server and, for the bare side, its JDBC calls.)\n"
                        + (clientName.equals("lean") ? "" : "(With the jdk client its own I/O threads count as"
                                + " \"server JVM\", not as load generator.)\n"));
            }
        }
    }

    /** One way of doing transitions: its label, a short name for progress lines, and transitions per operation. */
    private record Side(String name, String shortName, Throughput.Operation operation, int transitions) {
    }

    private static String ratio(String a, double aSum, String b, double bSum, double[] aRounds, double[] bRounds) {
        int rounds = aRounds.length;
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            ratios[round] = aRounds[round] / bRounds[round];
        }
        return String.format(Locale.ROOT, "%s %,.0f vs %s %,.0f transitions/s (mean of rounds): ratio %.2f (per round"
                + " %s)%n", a, aSum / rounds, b, bSum / rounds, aSum / bSum, Bench.spread(ratios));
    }

    /**
     * A bare Javalin server in this JVM, with Javalin's defaults: {@code POST /bare/{thread}} reads a small JSON body,
     * runs one plain-JDBC transition of that thread's session and answers a small JSON body.
     */
    private record BareServer(Javalin app) implements AutoCloseable {
        static BareServer start(JdbcWrites jdbc) {
            Javalin app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.routes.post("/bare/{thread}", ctx -> {
                    Map<?, ?> body = ctx.bodyAsClass(Map.class);
                    long n = ((Number) body.get("n")).longValue();
                    jdbc.transition(Integer.parseInt(ctx.pathParam("thread")), n, true, false);
                    ctx.json(Map.of("ok", true, "n", n));
                });
            }).start("127.0.0.1", 0);
            return new BareServer(app);
        }

        int port() {
            return app.port();
        }

        @Override
        public void close() {
            app.stop();
        }
    }

    /** Three requests of the bare route on the thread's own keep-alive connection, each one transition. */
    private static Throughput.Operation bareLifecycle(int port, int threads) {
        LeanHttpClient[] clients = new LeanHttpClient[threads];
        byte[][] heads = new byte[threads][];
        for (int t = 0; t < threads; t++) {
            clients[t] = new LeanHttpClient("127.0.0.1", port);
            heads[t] = ("POST /bare/" + t + " HTTP/1.1\r\nContent-Type: application/json\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return (thread, n) -> {
            for (int step = 0; step < 3; step++) {
                expect("bare", clients[thread].send(heads[thread], ("{\"n\":" + (3 * n + step) + "}")
                        .getBytes(StandardCharsets.UTF_8), null), 200);
            }
        };
    }

    /** One lifecycle on the thread's own keep-alive connection, the requests pre-encoded where they are constant. */
    private static Throughput.Operation leanLifecycle(BenchServer server, int threads, String owner, String worker) {
        LeanHttpClient[] clients = new LeanHttpClient[threads];
        for (int t = 0; t < threads; t++) {
            clients[t] = new LeanHttpClient("127.0.0.1", server.port());
        }
        String base = "/api/v1/sessions";
        byte[] create = ("POST " + base + " HTTP/1.1\r\nAuthorization: " + owner
                + "\r\nContent-Type: application/json\r\n").getBytes(StandardCharsets.US_ASCII);
        String ownerHeaders = " HTTP/1.1\r\nAuthorization: " + owner + "\r\n";
        String workerHeaders = " HTTP/1.1\r\nAuthorization: " + worker + "\r\nContent-Type: application/json\r\n";
        return (thread, n) -> {
            LeanHttpClient client = clients[thread];
            LeanHttpClient.Response created = client.send(create,
                    ("{\"workflow\":\"bench\",\"title\":\"e2e " + n + "\"}").getBytes(StandardCharsets.UTF_8),
                    "location");
            expect("create", created, 201);
            String location = created.header();
            String path = location.substring(location.indexOf(base));
            expect("start", client.send(("POST " + path + "/start" + ownerHeaders).getBytes(StandardCharsets.US_ASCII),
                    null, null), 200);
            expect("complete", client.send(("POST " + path + "/complete" + workerHeaders)
                    .getBytes(StandardCharsets.US_ASCII), ("{\"result\":{\"ok\":true,\"n\":" + n + "}}")
                    .getBytes(StandardCharsets.UTF_8), null), 200);
        };
    }

    private static Throughput.Operation jdkLifecycle(BenchServer server, String owner, String worker) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = server.baseUrl() + "/api/v1/sessions";
        return (thread, n) -> {
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
    }

    private static void report(String label, Throughput.Result r, int per) {
        Bench.progress(String.format(Locale.ROOT, "%s: %,.0f transitions/s, %d errors%s", label,
                r.opsPerSecond() * per, r.errors(), r.firstError() == null ? "" : " (" + r.firstError() + ")"));
    }

    private static void expect(String step, LeanHttpClient.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException(step + " answered " + response.status() + ": " + response.bodyText());
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().uri().getPath() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
    }
}
