package dev.phaseline.benchmarks;

import dev.phaseline.domain.SessionId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code http}: on one server, {@code GET /api/v1/sessions/{id}/status} (bearer token, a fixed set of running
 * sessions in turn) against the embedder's trivial JSON route, both driven by {@code wrk} in a separate process,
 * alternating the order per round.
 */
final class HttpBench {

    static final String USAGE = """
            usage: java -jar benchmarks/target/phaseline-benchmarks.jar http [options]
              --connections N   wrk connections (default 64)
              --wrk-threads N   wrk threads (default 2)
              --sessions N      running sessions the status requests cycle through (default 16)
              --jit-warmup DUR  untimed wrk run of each route before the first round (default 15s)
              --warmup DUR      untimed wrk run before each timed window (default 3s)
              --duration DUR    each timed window (default 15s)
              --rounds N        rounds; the order of the routes alternates (default 4)
              --wrk PATH        the wrk binary (default wrk)""";

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: (.*)");

    private HttpBench() {
    }

    record Window(int round, String route, double rps, double p50, double p90, double p99, String bad,
            String load, double jvmMicros, double pgMicros) {
    }

    static void run(String[] argv) throws Exception {
        Bench.Args args = new Bench.Args(argv, USAGE, "connections", "wrk-threads", "sessions", "jit-warmup",
                "warmup", "duration", "rounds", "wrk");
        int connections = args.integer("connections", 64);
        int wrkThreads = args.integer("wrk-threads", 2);
        int sessions = args.integer("sessions", 16);
        Duration jitWarmup = args.duration("jit-warmup", Duration.ofSeconds(15));
        Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
        Duration duration = args.duration("duration", Duration.ofSeconds(15));
        int rounds = args.integer("rounds", 4);
        String wrk = args.text("wrk", "wrk");
        String machine = Bench.machine();
        Bench.progress("machine: " + machine);
        try (BenchServer server = BenchServer.start(16, UnaryOperator.identity())) {
            List<SessionId> ids = server.runningSessions(sessions, "status");
            String token = server.token(BenchServer.OWNER);
            Path status = script("status", token, ids.stream().map(id -> "/api/v1/sessions/" + id + "/status")
                    .toList());
            Path trivial = script("trivial", token, List.of(BenchServer.TRIVIAL_PATH));
            check(server.baseUrl(), token, "/api/v1/sessions/" + ids.get(0) + "/status");
            check(server.baseUrl(), token, BenchServer.TRIVIAL_PATH);
            CpuMeter cpu = CpuMeter.of(server.database.localDataDirectory());
            String[][] routes = {{"trivial", trivial.toString()}, {"status", status.toString()}};
            for (String[] route : routes) {
                Bench.progress("JIT warm-up " + route[0] + " " + jitWarmup.toSeconds() + " s");
                wrk(wrk, wrkThreads, connections, jitWarmup, route[1], server.baseUrl());
            }
            List<Window> windows = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                List<String[]> order = round % 2 == 1 ? List.of(routes[0], routes[1])
                        : List.of(routes[1], routes[0]);
                for (String[] route : order) {
                    if (!warmup.isZero()) {
                        wrk(wrk, wrkThreads, connections, warmup, route[1], server.baseUrl());
                    }
                    String load = Bench.load1();
                    CpuMeter.Reading before = cpu.read();
                    String out = wrk(wrk, wrkThreads, connections, duration, route[1], server.baseUrl());
                    CpuMeter.Reading after = cpu.read();
                    Window w = parse(round, route[0], out, load, before, after);
                    windows.add(w);
                    Bench.progress(String.format(Locale.ROOT, "round %d %-7s %,9.0f req/s p50 %.2f ms p90 %.2f"
                            + " p99 %.2f ms %s (load %s) CPU/request: server JVM %.0f µs, PostgreSQL %.0f µs",
                            round, route[0], w.rps, w.p50, w.p90, w.p99, w.bad, load, w.jvmMicros, w.pgMicros));
                }
            }
            System.out.println(report(machine, connections, wrkThreads, sessions, warmup, duration, windows));
        }
    }

    private static String report(String machine, int connections, int wrkThreads, int sessions, Duration warmup,
            Duration duration, List<Window> windows) {
        StringBuilder out = new StringBuilder();
        out.append("## http: status route vs trivial route (wrk -t").append(wrkThreads).append(" -c")
                .append(connections).append(", ").append(duration.toSeconds()).append(" s windows after ")
                .append(warmup.toSeconds()).append(" s warm-up)\n\n");
        out.append("machine: ").append(machine).append("; status cycles through ").append(sessions)
                .append(" running sessions\n\n");
        out.append("| round | route | req/s | p50 ms | p90 ms | p99 ms | socket errors / non-2xx | load (1 min)"
                + " | server JVM CPU µs/req | PostgreSQL CPU µs/req |\n");
        out.append("|---:|---|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (Window w : windows) {
            out.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %.2f | %.2f | %s | %s | %.0f | %.0f |\n",
                    w.round, w.route, w.rps, w.p50, w.p90, w.p99, w.bad, w.load, w.jvmMicros, w.pgMicros));
        }
        double[] rateRatios = new double[windows.size() / 2];
        double[] p99Ratios = new double[windows.size() / 2];
        double statusSum = 0;
        double trivialSum = 0;
        for (int i = 0; i + 1 < windows.size(); i += 2) {
            Window a = windows.get(i);
            Window b = windows.get(i + 1);
            Window st = a.route.equals("status") ? a : b;
            Window tr = a.route.equals("status") ? b : a;
            rateRatios[i / 2] = st.rps / tr.rps;
            p99Ratios[i / 2] = st.p99 / tr.p99;
            statusSum += st.rps;
            trivialSum += tr.rps;
        }
        out.append(String.format(Locale.ROOT, "%nthroughput ratio status/trivial: %.2f over all rounds (per round "
                + "%s)%n", statusSum / trivialSum, Bench.spread(rateRatios)));
        out.append(String.format(Locale.ROOT, "p99 ratio status/trivial: per round %s%n", Bench.spread(p99Ratios)));
        return out.toString();
    }

    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");

    private static Window parse(int round, String route, String out, String load, CpuMeter.Reading before,
            CpuMeter.Reading after) {
        Matcher total = TOTAL.matcher(out);
        long requests = total.find() ? Long.parseLong(total.group(1)) : 0;
        double jvm = requests == 0 ? -1 : (after.client() - before.client()) / 1e3 / requests;
        double pg = requests == 0 || after.server() < 0 ? -1 : (after.server() - before.server()) / 1e3 / requests;
        Matcher rate = RATE.matcher(out);
        if (!rate.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        Matcher non2xx = NON_2XX.matcher(out);
        Matcher errors = ERRORS.matcher(out);
        String bad = (errors.find() ? errors.group(1).trim() : "0") + " / " + (non2xx.find() ? non2xx.group(1) : "0");
        return new Window(round, route, Double.parseDouble(rate.group(1)), percentile(out, "50%"),
                percentile(out, "90%"), percentile(out, "99%"), bad, load, jvm, pg);
    }

    /** @return a latency percentile of wrk's {@code --latency} distribution, in ms */
    private static double percentile(String out, String label) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(label) + "\\s+([\\d.]+)(us|ms|s)\\s*$",
                Pattern.MULTILINE).matcher(out);
        if (!m.find()) {
            return -1;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static String wrk(String wrk, int threads, int connections, Duration duration, String script,
            String baseUrl) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(wrk, "-t" + threads, "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s", "--latency", "-s", script, baseUrl)
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        return out;
    }

    /** A wrk script sending the bearer token and cycling through the paths. */
    private static Path script(String name, String token, List<String> paths) throws IOException {
        String list = paths.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "));
        String lua = "local paths = {" + list + "}\n"
                + "local i = 0\n"
                + "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n"
                + "request = function()\n"
                + "  i = i + 1\n"
                + "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\n"
                + "end\n";
        Path file = Files.createTempFile("phaseline-wrk-" + name, ".lua");
        file.toFile().deleteOnExit();
        Files.writeString(file, lua);
        return file;
    }

    private static void check(String base, String token, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        Bench.progress("GET " + path + " -> " + response.statusCode() + " " + response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
        }
    }
}
