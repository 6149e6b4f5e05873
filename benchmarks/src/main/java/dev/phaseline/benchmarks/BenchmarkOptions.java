package dev.phaseline.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The driver's command line: {@code store [--threads 1,16] [--warmup 3s] [--duration 10s] [--rounds 4]
 * [--sessions 100000] [--list-warmup 3s] [--list-duration 10s] [--pool-size N] [--out FILE] [--jit-warmup 10s]}.
 *
 * @param threads      the writer thread counts to measure, each at least 1
 * @param warmup       the warm-up before every timed write window
 * @param duration     the length of every timed write window
 * @param rounds       how often every write configuration is measured; rounds alternate the order of the sides
 * @param sessions     how many sessions the list benchmark loads into the table
 * @param listWarmup   the warm-up before every list window
 * @param listDuration the length of every list window
 * @param poolSize     the connections in each pool (library and JDBC alike); by default the largest thread count
 * @param out          where the Markdown report goes
 * @param jitWarmup    before the first write window, how long each side runs untimed at the largest thread count,
 *                     so that no side is measured while the JIT still compiles its path
 */
public record BenchmarkOptions(List<Integer> threads, Duration warmup, Duration duration, int rounds, int sessions,
        Duration listWarmup, Duration listDuration, int poolSize, Path out, Duration jitWarmup) {

    /** The usage text. */
    public static final String USAGE = """
            usage: java -jar benchmarks/target/phaseline-benchmarks.jar store [options]
            (other benchmarks: http, fanout, e2e, coldstart, redis; each prints its options on --help)
              --threads LIST        writer thread counts, comma-separated (default 1,16)
              --warmup DURATION     warm-up before each timed write window (default 3s)
              --duration DURATION   each timed write window (default 10s)
              --rounds N            measurements of each write configuration, order alternating (default 4)
              --sessions N          sessions loaded for the list benchmark (default 100000)
              --list-warmup DUR     warm-up before each list window (default 3s)
              --list-duration DUR   each list window (default 10s)
              --pool-size N         connections per pool, same for library and JDBC (default: largest thread count)
              --out FILE            Markdown report (default benchmarks/target/benchmark-results.md)
              --jit-warmup DUR      untimed run of each write side before the first window (default 10s)
            durations: 500ms, 15s, 2m or a plain number of seconds.
            The database is an embedded PostgreSQL unless PHASELINE_BENCH_DB_URL (with PHASELINE_BENCH_DB_USER,
            PHASELINE_BENCH_DB_PASSWORD) names an empty one.""";

    /** Checks ranges. */
    public BenchmarkOptions {
        threads = List.copyOf(threads);
        if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--threads needs at least one count, each at least 1");
        }
        if (warmup.isNegative() || duration.isNegative() || duration.isZero()
                || listWarmup.isNegative() || listDuration.isNegative() || listDuration.isZero()
                || jitWarmup.isNegative()) {
            throw new IllegalArgumentException("durations must be positive (warm-ups may be 0)");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        if (sessions < 1000) {
            throw new IllegalArgumentException("--sessions must be at least 1000");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("--pool-size must be at least 1");
        }
    }

    /** @return the largest thread count */
    public int maxThreads() {
        return threads.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /**
     * @param args the command line; the first argument is the benchmark, {@code store}
     * @return the options
     * @throws IllegalArgumentException on an unknown benchmark, an unknown option or a malformed value
     */
    public static BenchmarkOptions parse(String... args) {
        if (args.length == 0 || !args[0].equals("store")) {
            throw new IllegalArgumentException(args.length == 0
                    ? "name the benchmark: store, http, fanout, e2e or coldstart"
                    : "unknown benchmark '" + args[0] + "'; they are: store, http, fanout, e2e, coldstart");
        }
        List<Integer> threads = List.of(1, 16);
        Duration warmup = Duration.ofSeconds(3);
        Duration duration = Duration.ofSeconds(10);
        int rounds = 4;
        int sessions = 100_000;
        Duration listWarmup = Duration.ofSeconds(3);
        Duration listDuration = Duration.ofSeconds(10);
        Integer poolSize = null;
        Path out = Path.of("benchmarks", "target", "benchmark-results.md");
        Duration jitWarmup = Duration.ofSeconds(10);
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--threads" -> threads = intList(option, value);
                case "--warmup" -> warmup = duration(option, value);
                case "--duration" -> duration = duration(option, value);
                case "--rounds" -> rounds = integer(option, value);
                case "--sessions" -> sessions = integer(option, value);
                case "--list-warmup" -> listWarmup = duration(option, value);
                case "--list-duration" -> listDuration = duration(option, value);
                case "--pool-size" -> poolSize = integer(option, value);
                case "--out" -> out = Path.of(value);
                case "--jit-warmup" -> jitWarmup = duration(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        int pool = poolSize != null ? poolSize : threads.stream().mapToInt(Integer::intValue).max().orElse(1);
        return new BenchmarkOptions(threads, warmup, duration, rounds, sessions, listWarmup, listDuration, pool,
                out, jitWarmup);
    }

    static Duration duration(String option, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a duration such as 500ms, 15s or 2m, not "
                    + value);
        }
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a whole number, not " + value);
        }
    }

    private static List<Integer> intList(String option, String value) {
        List<Integer> list = new ArrayList<>();
        for (String part : value.split(",")) {
            list.add(integer(option, part));
        }
        return list;
    }
}
