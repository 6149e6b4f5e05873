package dev.phaseline.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Helpers shared by the HTTP-level benchmarks: options, machine facts, percentiles, process memory. */
final class Bench {

    private Bench() {
    }

    /** {@code --name value} pairs after the subcommand. */
    static final class Args {
        private final Map<String, String> values = new HashMap<>();
        private final String usage;

        Args(String[] args, String usage, String... known) {
            this.usage = usage;
            List<String> names = List.of(known);
            for (int i = 1; i < args.length; i++) {
                String name = args[i];
                if (!name.startsWith("--") || !names.contains(name.substring(2)) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + name + "\n" + usage);
                }
                values.put(name.substring(2), args[++i]);
            }
        }

        int integer(String name, int fallback) {
            String v = values.get(name);
            try {
                return v == null ? fallback : Integer.parseInt(v.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + ": not a number: " + v + "\n" + usage);
            }
        }

        Duration duration(String name, Duration fallback) {
            String v = values.get(name);
            return v == null ? fallback : BenchmarkOptions.duration("--" + name, v);
        }

        String text(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** @return the 1-minute load average alone */
    static String load1() {
        return loadAverage().split(" ")[0];
    }

    static String machine() {
        long kb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    kb = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return String.format(Locale.ROOT, "%d CPUs, %.1f GiB, %s %s, load average %s",
                Runtime.getRuntime().availableProcessors(), kb / 1024.0 / 1024.0,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), loadAverage());
    }

    static void progress(String line) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
    }

    /** @return the value at quantile q (0..1) of sorted values (nearest rank) */
    static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** @return "median m, range min–max" of the values (any order), or "n/a" for none */
    static String spread(double[] values) {
        if (values.length == 0) {
            return "n/a";
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return String.format(Locale.ROOT, "median %.2f, range %.2f–%.2f", median, sorted[0], sorted[n - 1]);
    }

    /** Deletes a directory with everything in it. */
    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    static long[] sorted(long[] values, int count) {
        long[] copy = Arrays.copyOf(values, count);
        Arrays.sort(copy);
        return copy;
    }

    /** Memory and threads of a process, heap after a full GC. */
    record Memory(long heapUsedKb, long heapCommittedKb, long directKb, long rssKb, int threads) {
        String describe() {
            return String.format(Locale.ROOT, "heap after full GC %,d KB (committed %,d KB), direct buffers %,d KB,"
                    + " RSS %,d KB, threads %d", heapUsedKb, heapCommittedKb, directKb, rssKb, threads);
        }
    }

    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    /** {@code jcmd <pid> GC.run}, then {@code GC.heap_info} and {@code /proc/<pid>/status}. */
    static Memory memory(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(pid), "GC.run");
        String info = run(jcmd, Long.toString(pid), "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        boolean found = m.find();
        long heap = found ? Long.parseLong(m.group(2)) : -1;
        long committed = found ? Long.parseLong(m.group(1)) : -1;
        long direct = -1;
        if (pid == ProcessHandle.current().pid()) {
            for (var pool : java.lang.management.ManagementFactory.getPlatformMXBeans(
                    java.lang.management.BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    direct = pool.getMemoryUsed() / 1024;
                }
            }
        }
        long rss = -1;
        int threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return new Memory(heap, committed, direct, rss, threads);
    }

    static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            process.waitFor(120, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the running jar, for starting a helper JVM on the same classpath */
    static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** @return user+system CPU of a process in nanoseconds (from /proc), or -1 */
    static long processCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
