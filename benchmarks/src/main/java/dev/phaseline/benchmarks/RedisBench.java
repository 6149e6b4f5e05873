package dev.phaseline.benchmarks;

import dev.phaseline.adapters.http.HttpApi;
import dev.phaseline.adapters.http.HttpSettings;
import dev.phaseline.adapters.http.TokenIssuer;
import dev.phaseline.adapters.postgres.PostgresAdapter;
import dev.phaseline.adapters.postgres.PostgresSettings;
import dev.phaseline.adapters.redis.RedisAdapter;
import dev.phaseline.adapters.redis.RedisSettings;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.SessionId;
import io.javalin.Javalin;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code redis}: what Redis costs and buys, in one JVM with three nodes on one PostgreSQL: A and B share one
 * {@code redis-server} (started here, on a free loopback port), C runs without Redis (the single-node in-process cache
 * and bus). Each node has its own pool, core, HTTP API and Javalin server, as separate processes would.
 *
 * <ol>
 *   <li>Cross-node delivery: commits on A at a fixed rate, received by an SSE client on B; baseline: the same on A's
 *       own stream (no Redis hop), in the same run.</li>
 *   <li>{@code GET /status} on B served from the Redis cache, against the same with Redis stopped (every read from
 *       PostgreSQL), alternating per round.</li>
 *   <li>Commands per second on A (Redis: cache write + publish per commit) against C (in-process), alternating.</li>
 *   <li>The floor under that cost: the plain-JDBC transition of {@code e2e} alone, against the same followed by the
 *       least Redis work a write-through cache and a bus need per commit (a plain {@code SET} waited for, a
 *       {@code PUBLISH} not waited for, on one shared Lettuce connection), alternating.</li>
 * </ol>
 */
final class RedisBench {

    static final String USAGE = """
            usage: java -jar benchmarks/target/phaseline-benchmarks.jar redis [options]
              --rate N          commits per second for the delivery latency (default 200)
              --latency DUR     how long each delivery measurement runs (default 15s)
              --threads N       client threads for reads and commands; also each node's pool size (default 4)
              --sessions N      sessions the status reads cycle through (default 16)
              --warmup DUR      before each timed window (default 3s)
              --duration DUR    each timed window (default 10s)
              --rounds N        rounds; the order of the sides alternates (default 3)
              --redis-server P  the redis-server binary (default redis-server)
              --parts LIST      which parts to run, comma-separated: delivery,status,commands,floor
                                (default all)""";

    private static final Principal OWNER = BenchServer.OWNER;
    private static final Principal WORKER = BenchServer.WORKER;

    private RedisBench() {
    }

    static void run(String[] argv) throws Exception {
        Bench.Args args = new Bench.Args(argv, USAGE, "rate", "latency", "threads", "sessions", "warmup", "duration",
                "rounds", "redis-server", "parts");
        int rate = args.integer("rate", 200);
        Duration latency = args.duration("latency", Duration.ofSeconds(15));
        int threads = args.integer("threads", 4);
        int sessionCount = args.integer("sessions", 16);
        Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
        Duration duration = args.duration("duration", Duration.ofSeconds(10));
        int rounds = args.integer("rounds", 3);
        List<String> parts = List.of(args.text("parts", "delivery,status,commands,floor").split(","));
        for (String part : parts) {
            if (!List.of("delivery", "status", "commands", "floor").contains(part)) {
                throw new IllegalArgumentException("unknown part " + part + "\n" + USAGE);
            }
        }
        String machine = Bench.machine();
        Bench.progress("machine: " + machine);
        StringBuilder out = new StringBuilder();
        try (RedisProcess redis = RedisProcess.start(args.text("redis-server", "redis-server"));
                BenchmarkDatabase database = BenchmarkDatabase.open();
                Node a = Node.start("A", database, redis.url(), threads);
                Node b = Node.start("B", database, redis.url(), threads);
                Node c = Node.start("C", database, null, threads)) {
            Bench.progress("redis-server " + redis.version() + " on " + redis.url() + "; nodes A, B (Redis) and C"
                    + " (in-process) on " + database.jdbcUrl());
            out.append("## redis: cross-node delivery, status reads from Redis vs PostgreSQL, commands with and"
                    + " without Redis\n\nmachine: ").append(machine).append("\n\nredis-server ")
                    .append(redis.version()).append(", local loopback; PostgreSQL ")
                    .append(database.embedded() ? "embedded" : "external").append(", one database for all nodes; ")
                    .append(threads).append(" client threads, pool ").append(threads).append(" per node.\n\n");

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CpuMeter cpu = CpuMeter.of(database.localDataDirectory());

            // 1. Delivery latency: A → B through Redis, baseline A → A.
            if (parts.contains("delivery")) {
                Bench.progress("delivery warm-up");
                delivery(a, a, http, rate, Duration.ofSeconds(3));
                delivery(a, b, http, rate, Duration.ofSeconds(3));
                out.append("### Delivery: commit on A → event received by an SSE client (").append(rate)
                        .append(" commits/s for ").append(latency.toSeconds()).append(" s)\n\n")
                        .append("Measured from the moment `commands().execute(...)` returned on A (the commit is"
                                + " acknowledged) to the moment the client's line reader had the event's `data:` line;"
                                + " one clock, one JVM. In brackets: from the call's start (includes the commit).\n\n")
                        .append("| stream on | events | received | p50 ms | p90 ms | p99 ms | max ms |"
                                + " load (1 min) |\n")
                        .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
                for (Node subscriber : List.of(b, a, b)) {
                    String load = Bench.load1();
                    Delivery d = delivery(a, subscriber, http, rate, latency);
                    String line = String.format(Locale.ROOT,
                            "| %s | %,d | %,d | %s (%s) | %s (%s) | %s (%s) | %s | %s |",
                            subscriber == b ? "B (via Redis)" : "A (same node, baseline)", d.sent, d.received,
                            Bench.ms(d.afterAck(0.50)), Bench.ms(d.fromStart(0.50)), Bench.ms(d.afterAck(0.90)),
                            Bench.ms(d.fromStart(0.90)), Bench.ms(d.afterAck(0.99)), Bench.ms(d.fromStart(0.99)),
                            Bench.ms(d.afterAck(1.0)), load);
                    out.append(line).append('\n');
                    Bench.progress(line);
                }
                out.append('\n');
            }

            // 2. Status reads on B: Redis cache vs PostgreSQL (Redis stopped).
            if (parts.contains("status")) {
                List<SessionId> sessions = a.runningSessions(sessionCount, "status");
                String reader = "Bearer " + b.token(OWNER);
                // Lean clients, one keep-alive socket per thread: java.net.http cost about as much CPU per request as
                // the route it loaded, on the same two cores, and so flattened the difference being measured.
                List<byte[]> requests = sessions.stream().map(id -> ("GET /api/v1/sessions/" + id + "/status"
                        + " HTTP/1.1\r\nAuthorization: " + reader + "\r\n").getBytes(StandardCharsets.US_ASCII))
                        .toList();
                LeanHttpClient[] clients = new LeanHttpClient[threads];
                for (int t = 0; t < threads; t++) {
                    clients[t] = new LeanHttpClient("127.0.0.1", b.port());
                }
                Throughput.Operation status = (thread, n) -> {
                    LeanHttpClient.Response response = clients[thread].send(requests.get(
                            (int) ((n * threads + thread) % requests.size())), null, null);
                    if (response.status() != 200) {
                        throw new IllegalStateException("status answered " + response.status());
                    }
                };
                Bench.progress("status warm-up");
                Throughput.measure(threads, Duration.ZERO, warmup.multipliedBy(2), cpu, status);
                out.append("### `GET /api/v1/sessions/{id}/status` on B: from the Redis cache vs from PostgreSQL (Redis"
                        + " stopped)\n\n").append(threads).append(" client threads, one keep-alive socket each, ")
                        .append(sessionCount).append(" sessions in turn; ").append(duration.toSeconds())
                        .append(" s windows after ").append(warmup.toSeconds()).append(" s warm-up.\n\n")
                        .append("| round | served from | requests/s | errors | PostgreSQL CPU µs/request |"
                                + " load (1 min) |\n")
                        .append("|---:|---|---:|---:|---:|---:|\n");
                Alternation reads = alternate(out, rounds, () -> {
                    redis.ensureRunning();
                    b.awaitRedis(true);
                    return Throughput.measure(threads, warmup, duration, cpu, status);
                }, "Redis cache", () -> {
                    redis.stop();
                    b.awaitRedis(false);
                    return Throughput.measure(threads, warmup, duration, cpu, status);
                }, "PostgreSQL (Redis stopped)", RedisBench::postgresCpu);
                redis.ensureRunning();
                b.awaitRedis(true);
                a.awaitRedis(true);
                for (LeanHttpClient client : clients) {
                    client.close();
                }
                out.append(String.format(Locale.ROOT, "%nRedis cache %,.0f vs PostgreSQL %,.0f requests/s (mean of"
                        + " rounds): ratio %.2f (per round %s)%n%n", reads.firstMean(), reads.secondMean(),
                        reads.ratio(), Bench.spread(reads.ratios())));
            }

            if (parts.contains("commands")) {
                // 3. Commands: A (Redis cache + bus) vs C (in-process). B is stopped first: in this one JVM its
                // decoding of A's messages would be charged to A, where a real cluster runs it on another machine.
                b.close();
                List<SessionId> onA = a.runningSessions(threads, "commands A");
                List<SessionId> onC = c.runningSessions(threads, "commands C");
                Throughput.Operation withRedis = (thread, n) -> a.core.commands().execute(WORKER, onA.get(thread),
                        tick(n));
                Throughput.Operation withoutRedis = (thread, n) -> c.core.commands().execute(WORKER, onC.get(thread),
                        tick(n));
                Bench.progress("commands warm-up");
                Throughput.measure(threads, Duration.ZERO, warmup.multipliedBy(2), cpu, withRedis);
                Throughput.measure(threads, Duration.ZERO, warmup.multipliedBy(2), cpu, withoutRedis);
                out.append("### Commands per second: Redis on (node A: version-guarded cache write + publish per"
                        + " commit) vs off (node C: in-process cache and bus)\n\nNode B is stopped for this part, so"
                        + " that its receiving of A's events is not counted in this JVM.\n\n")
                        .append("`commands().execute(worker, id, AppendEvent(\"tick\", {n}))`, one running session per"
                                + " thread.\n\n")
                        .append("| round | side | commands/s | errors | client CPU µs/command | load (1 min) |\n")
                        .append("|---:|---|---:|---:|---:|---:|\n");
                Alternation commands = alternate(out, rounds, () -> Throughput.measure(threads, warmup, duration, cpu,
                        withRedis), "Redis on (A)", () -> Throughput.measure(threads, warmup, duration, cpu,
                        withoutRedis), "Redis off (C)");
                out.append(String.format(Locale.ROOT, "%nRedis on %,.0f vs off %,.0f commands/s (mean of rounds):"
                        + " ratio %.2f, Redis costs %.0f %% (per round %s)%n%n", commands.firstMean(),
                        commands.secondMean(), commands.ratio(), (1 - commands.ratio()) * 100,
                        Bench.spread(commands.ratios())));
            }

            if (parts.contains("floor")) {
                // 4. What the least Redis work per commit costs plain JDBC: if that alone is above the command
                // part's target, no implementation of a write-through cache and bus gets under it on this machine.
                List<SessionId> sessions = a.runningSessions(threads, "floor");
                RedisClient client = RedisClient.create(redis.url().toString());
                try (JdbcWrites jdbc = new JdbcWrites(database, threads, sessions);
                        StatefulRedisConnection<String, String> connection = client.connect()) {
                    RedisCommands<String, String> sync = connection.sync();
                    RedisAsyncCommands<String, String> async = connection.async();
                    // A value as long as the session JSON node A cached for one of these sessions.
                    String cached = sync.hget("phaseline:session:" + sessions.get(0), "s");
                    String entry = "x".repeat(cached == null ? 400 : cached.length());
                    String entrySource = cached == null ? "no cached entry found; a guess"
                            : "the length of a cached session's JSON here";
                    Throughput.Operation plain = (thread, n) -> jdbc.transition(thread, n, true, false);
                    Throughput.Operation withRedis = (thread, n) -> {
                        jdbc.transition(thread, n, true, false);
                        sync.set("phaseline-bench:floor:" + thread, entry);
                        async.publish("phaseline-bench:floor", entry);
                    };
                    Bench.progress("floor warm-up");
                    Throughput.measure(threads, Duration.ZERO, warmup.multipliedBy(2), cpu, withRedis);
                    Throughput.measure(threads, Duration.ZERO, warmup.multipliedBy(2), cpu, plain);
                    out.append("### The floor: plain JDBC transitions with and without the least Redis work per"
                            + " commit\n\n`JdbcWrites.transition` (UPDATE, INSERT, COMMIT) on ").append(threads)
                            .append(" threads, alone or followed by `SET` of a ").append(entry.length())
                            .append("-byte value (").append(entrySource)
                            .append("; waited for) and `PUBLISH` of it (not waited for) on one shared Lettuce"
                                    + " connection.\n\n")
                            .append("| round | side | transitions/s | errors | client CPU µs/transition | load (1 min)"
                                    + " |\n|---:|---|---:|---:|---:|---:|\n");
                    Alternation floor = alternate(out, rounds, () -> Throughput.measure(threads, warmup, duration,
                            cpu, withRedis), "JDBC + SET + PUBLISH", () -> Throughput.measure(threads, warmup,
                            duration, cpu, plain), "JDBC alone");
                    out.append(String.format(Locale.ROOT, "%nJDBC + SET + PUBLISH %,.0f vs JDBC alone %,.0f"
                            + " transitions/s (mean of rounds): ratio %.2f, the Redis work costs %.0f %% (per round"
                            + " %s)%n", floor.firstMean(), floor.secondMean(), floor.ratio(),
                            (1 - floor.ratio()) * 100, Bench.spread(floor.ratios())));
                } finally {
                    client.shutdown();
                }
            }
        }
        System.out.println(out);
    }

    /** Two sides measured in turn, each round starting with the other: means of rounds and per-round ratios. */
    private record Alternation(double firstMean, double secondMean, double ratio, double[] ratios) {
    }

    /**
     * Measures two sides once per round, the first side first in odd rounds, appending a table row per window.
     *
     * @return the mean rates of rounds, first ÷ second of the sums, and first ÷ second per round
     */
    private static Alternation alternate(StringBuilder out, int rounds, Supplier<Throughput.Result> first,
            String firstLabel, Supplier<Throughput.Result> second, String secondLabel) {
        return alternate(out, rounds, first, firstLabel, second, secondLabel,
                r -> String.format(Locale.ROOT, "%.0f", r.clientCpuMicros()));
    }

    /** As above, with the CPU column of each row written by {@code cpuColumn}. */
    private static Alternation alternate(StringBuilder out, int rounds, Supplier<Throughput.Result> first,
            String firstLabel, Supplier<Throughput.Result> second, String secondLabel,
            Function<Throughput.Result, String> cpuColumn) {
        double[] ratios = new double[rounds];
        double firstSum = 0;
        double secondSum = 0;
        for (int round = 1; round <= rounds; round++) {
            double a = 0;
            double b = 0;
            for (int i = 0; i < 2; i++) {
                boolean firstSide = (round % 2 == 1) == (i == 0);
                String load = Bench.load1();
                Throughput.Result r = firstSide ? first.get() : second.get();
                String line = String.format(Locale.ROOT, "| %d | %s | %,.0f | %d | %s | %s |", round,
                        firstSide ? firstLabel : secondLabel, r.opsPerSecond(), r.errors(), cpuColumn.apply(r), load);
                out.append(line).append('\n');
                Bench.progress(line);
                if (r.errors() > 0) {
                    Bench.progress("first error: " + r.firstError());
                }
                if (firstSide) {
                    a = r.opsPerSecond();
                } else {
                    b = r.opsPerSecond();
                }
            }
            ratios[round - 1] = a / b;
            firstSum += a;
            secondSum += b;
        }
        return new Alternation(firstSum / rounds, secondSum / rounds, firstSum / secondSum, ratios);
    }

    private static String postgresCpu(Throughput.Result r) {
        return r.serverCpuMicros() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", r.serverCpuMicros());
    }

    private static SessionCommand tick(long n) {
        return new SessionCommand.AppendEvent("tick", JsonValue.object(Map.of("n", JsonValue.of(n))));
    }

    /** Latencies of one delivery measurement, in nanoseconds. */
    private record Delivery(int sent, int received, long[] afterAck, long[] fromStart) {
        long afterAck(double q) {
            return Bench.quantile(afterAck, q);
        }

        long fromStart(double q) {
            return Bench.quantile(fromStart, q);
        }
    }

    /**
     * Commits {@code rate} events per second on {@code producer} into a fresh session, while an SSE client of
     * {@code subscriber} reads that session's stream line by line.
     */
    private static Delivery delivery(Node producer, Node subscriber, HttpClient http, int rate, Duration length)
            throws Exception {
        SessionId id = producer.runningSessions(1, "delivery").get(0);
        int count = (int) (rate * length.toMillis() / 1000);
        long[] started = new long[count + 3];
        long[] acknowledged = new long[count + 3];
        Map<Long, Long> received = new ConcurrentHashMap<>();
        HttpResponse<InputStream> stream = http.sendAsync(HttpRequest.newBuilder(URI.create(subscriber.baseUrl()
                        + "/api/v1/sessions/" + id + "/events?after=2"))
                .header("Authorization", "Bearer " + subscriber.token(OWNER))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(10, TimeUnit.SECONDS);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                long seq = -1;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("id: ")) {
                        seq = Long.parseLong(line.substring(4).trim());
                    } else if (line.startsWith("data: ") && seq > 0) {
                        received.putIfAbsent(seq, System.nanoTime());
                        seq = -1;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // closed at the end of the measurement
            }
        }, "delivery-reader");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(200); // the subscription is registered before the first commit
        long period = 1_000_000_000L / rate;
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = begin + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long start = System.nanoTime();
            long seq = producer.core.commands().execute(WORKER, id, tick(i)).session().version();
            acknowledged[(int) seq] = System.nanoTime();
            started[(int) seq] = start;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        stream.body().close();
        long[] afterAck = new long[count];
        long[] fromStart = new long[count];
        int n = 0;
        for (int seq = 3; seq < count + 3; seq++) {
            Long at = received.get((long) seq);
            if (at != null && acknowledged[seq] != 0) {
                afterAck[n] = Math.max(0, at - acknowledged[seq]);
                fromStart[n] = at - started[seq];
                n++;
            }
        }
        return new Delivery(count, received.size(), Bench.sorted(afterAck, n), Bench.sorted(fromStart, n));
    }

    /** One node: its own pool, core, HTTP API and Javalin server; with or without Redis. */
    private static final class Node implements AutoCloseable {
        final String name;
        final PostgresAdapter postgres;
        final RedisAdapter redis;
        final PhaselineCore core;
        final HttpApi api;
        final Javalin app;
        final TokenIssuer tokens = new TokenIssuer(BenchServer.SECRET);
        private boolean closed;

        private Node(String name, PostgresAdapter postgres, RedisAdapter redis, PhaselineCore core, HttpApi api,
                Javalin app) {
            this.name = name;
            this.postgres = postgres;
            this.redis = redis;
            this.core = core;
            this.api = api;
            this.app = app;
        }

        static Node start(String name, BenchmarkDatabase database, URI redisUrl, int poolSize) {
            PostgresAdapter postgres = PostgresAdapter.start(PostgresSettings.of(database.jdbcUrl(), database.user(),
                    database.password()).withPoolSize(poolSize));
            RedisAdapter redis = redisUrl == null ? null : RedisAdapter.connect(RedisSettings.of(redisUrl));
            PhaselineCore.Builder builder = PhaselineCore.builder().store(postgres.sessionStore())
                    .eventLog(postgres.eventLog()).sweepInterval(Duration.ZERO);
            if (redis != null) {
                builder.cache(redis.cache()).bus(redis.bus());
            }
            PhaselineCore core = builder.build();
            HttpApi api = new HttpApi(core, HttpSettings.of(BenchServer.SECRET),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            Javalin app = Javalin.create(cfg -> {
                HttpApi.configureServer(cfg, poolSize); // as the Phaseline server and BenchServer set it up
                api.mount(cfg);
            }).start("127.0.0.1", 0);
            return new Node(name, postgres, redis, core, api, app);
        }

        String baseUrl() {
            return "http://127.0.0.1:" + app.port();
        }

        int port() {
            return app.port();
        }

        String token(Principal principal) {
            return BenchServer.token(tokens, principal);
        }

        List<SessionId> runningSessions(int count, String title) {
            return BenchServer.runningSessions(core, OWNER, count, title);
        }

        /** Waits until this node's Redis connection is (or is not) answering. */
        void awaitRedis(boolean up) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (redis.ping() != up) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node " + name + ": Redis still " + (up ? "down" : "up"));
                }
                Bench.sleep(Duration.ofMillis(50));
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                api.close();
                app.stop();
            } finally {
                core.close();
                if (redis != null) {
                    redis.close();
                }
                postgres.close();
            }
        }
    }

    /** A {@code redis-server} of this benchmark's own, on a free loopback port, without persistence. */
    private static final class RedisProcess implements AutoCloseable {
        private final String binary;
        private final int port;
        private Process process;

        private RedisProcess(String binary, int port) {
            this.binary = binary;
            this.port = port;
        }

        static RedisProcess start(String binary) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RedisProcess redis = new RedisProcess(binary, port);
            redis.ensureRunning();
            return redis;
        }

        URI url() {
            return URI.create("redis://127.0.0.1:" + port);
        }

        String version() {
            String info = Bench.run(binary, "--version");
            int v = info.indexOf("v=");
            return v < 0 ? "(unknown version)" : info.substring(v + 2, info.indexOf(' ', v));
        }

        synchronized void ensureRunning() {
            if (process != null && process.isAlive()) {
                return;
            }
            try {
                process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--loglevel", "warning")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + binary + " (is redis-server installed?)", e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!answers()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(binary + " did not start on port " + port);
                }
                Bench.sleep(Duration.ofMillis(20));
            }
        }

        private boolean answers() {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(1000);
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = new byte[7];
                return socket.getInputStream().read(reply) > 0 && new String(reply, StandardCharsets.US_ASCII)
                        .startsWith("+PONG");
            } catch (IOException e) {
                return false;
            }
        }

        synchronized void stop() {
            if (process == null) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        @Override
        public void close() {
            stop();
        }
    }
}
