package dev.phaseline.benchmarks;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code coldstart}: time from starting {@code java -jar phaseline.jar} to {@code /ready} answering 200, with
 * embedded PostgreSQL (a fresh data directory every time, and one data directory kept across starts; the binaries
 * are unpacked by an untimed first run) and with
 * an external PostgreSQL (a freshly created database, and the same database again once migrated). Each start is
 * timed twice, alternating: as {@code java -jar} alone, and with the class archive the build recorded
 * ({@code -XX:SharedArchiveFile}). Then one more run of each with the libraries' INFO logging on, whose timestamps
 * show where the time goes.
 */
final class ColdStartBench {

    static final String USAGE = """
            usage: java -jar benchmarks/target/phaseline-benchmarks.jar coldstart [options]
              --jar PATH           the server jar (default bootstrap/target/phaseline.jar)
              --reps N             timed starts per mode (default 5)
              --external-url URL   an external PostgreSQL database, dropped and re-created by the benchmark
                                   (default jdbc:postgresql://127.0.0.1:5432/phaseline_bench; "none" to skip)
              --external-user U    its user (default postgres; trust or PGPASSWORD-less access)
              --archive PATH       the class archive the build recorded, also timed as
                                   java -XX:SharedArchiveFile=PATH -jar ... (default: the jar's path with .jsa;
                                   "none" to skip)""";

    private static final String VERBOSE_LOGBACK = """
            <configuration>
                <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n</pattern></encoder>
                </appender>
                <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private ColdStartBench() {
    }

    static void run(String[] argv) throws Exception {
        Bench.Args args = new Bench.Args(argv, USAGE, "jar", "reps", "external-url", "external-user", "archive");
        Path jar = Path.of(args.text("jar", "bootstrap/target/phaseline.jar"));
        String archiveArg = args.text("archive", jar.toString().replaceAll("\\.jar$", "") + ".jsa");
        Path archive = archiveArg.equals("none") ? null : Path.of(archiveArg);
        if (archive != null && !Files.isRegularFile(archive)) {
            throw new IllegalArgumentException("no class archive at " + archive + " (the bootstrap build records it;"
                    + " --archive none to time the jar alone)");
        }
        List<Variant> variants = new ArrayList<>(List.of(new Variant("", List.of())));
        if (archive != null) {
            // -Xshare:on: a run that cannot map the archive fails instead of quietly timing a start without it.
            variants.add(new Variant(", class archive", List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive)));
        }
        int reps = args.integer("reps", 5);
        String externalUrl = args.text("external-url", "jdbc:postgresql://127.0.0.1:5432/phaseline_bench");
        String externalUser = args.text("external-user", "postgres");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no server jar at " + jar + "; build it with ./mvnw -B -q -pl bootstrap"
                    + " -am package -DskipTests");
        }
        String machine = Bench.machine();
        Bench.progress("machine: " + machine);
        StringBuilder out = new StringBuilder("## coldstart: `java -jar " + jar + "` until /ready answers 200\n\n"
                + "machine: " + machine + "\n\n| mode | runs (ms) | median ms | load (1 min) at each start |\n"
                + "|---|---|---:|---|\n");
        StringBuilder breakdowns = new StringBuilder();
        List<String> modes = new ArrayList<>(List.of("embedded", "embedded, existing data directory"));
        boolean external = !externalUrl.equals("none");
        if (external) {
            modes.add("external, fresh database");
            modes.add("external, migrated database");
        }
        Bench.progress("untimed first start (unpacks the embedded PostgreSQL binaries, warms the page cache)");
        start(jar, List.of(), "embedded", null, null, null, false);
        Path existing = Files.createTempDirectory("phaseline-coldstart-existing");
        for (String mode : modes) {
            Path dataDir = mode.endsWith("existing data directory") ? existing.resolve("data") : null;
            if (dataDir != null) {
                start(jar, List.of(), mode, null, null, dataDir, false); // creates the cluster, untimed
            }
            if (mode.endsWith("migrated database")) {
                recreate(externalUrl, externalUser);
                start(jar, List.of(), mode, externalUrl, externalUser, null, false); // migrates, untimed
            }
            String db = mode.startsWith("embedded") ? null : externalUrl;
            long[][] times = new long[variants.size()][reps];
            List<List<String>> loads = new ArrayList<>();
            variants.forEach(variant -> loads.add(new ArrayList<>()));
            // The variants take turns start by start (in the same order each repetition), so drift in the machine's
            // load reaches all of them alike.
            for (int i = 0; i < reps; i++) {
                for (int v = 0; v < variants.size(); v++) {
                    Variant variant = variants.get(v);
                    if (mode.endsWith("fresh database")) {
                        recreate(externalUrl, externalUser);
                    }
                    loads.get(v).add(Bench.load1());
                    times[v][i] = start(jar, variant.jvmOptions(), mode, db, externalUser, dataDir, false).millis;
                    Bench.progress(mode + variant.suffix() + " run " + (i + 1) + ": " + times[v][i] + " ms (load "
                            + loads.get(v).get(i) + ")");
                }
            }
            for (int v = 0; v < variants.size(); v++) {
                out.append(row(mode + variants.get(v).suffix(), times[v], loads.get(v)));
            }
            for (Variant variant : variants) {
                breakdowns.append(breakdown(jar, variant, mode, externalUrl, externalUser, dataDir));
            }
        }
        Bench.deleteTree(existing);
        System.out.println(out + breakdowns.toString());
    }

    record Run(long millis, List<String> lines) {
    }

    /** A way to start the jar: {@code suffix} is added to the mode in the report. */
    private record Variant(String suffix, List<String> jvmOptions) {
    }

    private static String row(String mode, long[] times, List<String> loads) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %s | %d | %s |%n", mode,
                Arrays.toString(times).replaceAll("[\\[\\]]", ""), sorted[times.length / 2], String.join(", ", loads));
    }

    /** One more start with the libraries' INFO logging, whose timestamps show where the time goes. */
    private static String breakdown(Path jar, Variant variant, String mode, String externalUrl, String dbUser,
            Path dataDir) throws Exception {
        if (mode.endsWith("fresh database")) {
            recreate(externalUrl, dbUser);
        }
        Run verbose = start(jar, variant.jvmOptions(), mode, mode.startsWith("embedded") ? null : externalUrl, dbUser,
                dataDir, true);
        StringBuilder out = new StringBuilder("\n### ").append(mode).append(variant.suffix())
                .append(": one run with INFO logging, ").append(verbose.millis)
                .append(" ms to ready (ms since process start: log line)\n\n```\n");
        verbose.lines.forEach(line -> out.append(line).append('\n'));
        return out.append("```\n").toString();
    }

    private static void recreate(String url, String user) throws Exception {
        String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        String admin = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
        try (Connection connection = DriverManager.getConnection(admin, user, null);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
    }

    private static Run start(Path jar, List<String> jvmOptions, String mode, String dbUrl, String dbUser,
            Path dataDir, boolean verbose) throws Exception {
        Path dir = Files.createTempDirectory("phaseline-coldstart");
        Path log = dir.resolve("server.log");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Bench.javaBinary()));
        if (verbose) {
            Path logback = dir.resolve("logback-verbose.xml");
            Files.writeString(logback, VERBOSE_LOGBACK);
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PHASELINE_HTTP_PORT", Integer.toString(port));
        env.put("PHASELINE_DATA_DIR", (dataDir != null ? dataDir : dir.resolve("data")).toString());
        if (dbUrl != null) {
            env.put("PHASELINE_DB_URL", dbUrl);
            env.put("PHASELINE_DB_USER", dbUser);
        }
        long wallStart = System.currentTimeMillis();
        long start = System.nanoTime();
        Process process = builder.start();
        long millis = -1;
        try {
            URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
            long deadline = start + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (readyAnswers(ready)) {
                    millis = (System.nanoTime() - start) / 1_000_000;
                    break;
                }
                Thread.sleep(5);
            }
            if (millis < 0) {
                throw new IllegalStateException(mode + ": not ready; log:\n" + Files.readString(log));
            }
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            lines.add(offset(line, wallStart) + line);
            if (line.contains("Phaseline started in")) {
                break;
            }
        }
        lines.add(String.format(Locale.ROOT, "%6d ms  /ready answered 200", millis));
        Bench.deleteTree(dir);
        return new Run(millis, lines);
    }

    private static String offset(String line, long wallStart) {
        if (line.length() < 12) {
            return "          ";
        }
        try {
            LocalTime at = LocalTime.parse(line.substring(0, 12));
            LocalTime started = java.time.Instant.ofEpochMilli(wallStart).atZone(java.time.ZoneId.systemDefault())
                    .toLocalTime();
            long ms = java.time.Duration.between(started, at).toMillis();
            return String.format(Locale.ROOT, "%6d ms  ", ms);
        } catch (DateTimeParseException e) {
            return "          ";
        }
    }

    private static boolean readyAnswers(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(200);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
