package dev.phaseline.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A Phaseline server in a child process, on a data directory of the test's choosing. */
final class ServerProcess implements AutoCloseable {

    static final String SECRET = "process-test-secret-0123456789abcdef";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    final Process process;
    final int port;
    final Path log;
    final TestHttp http;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.http = new TestHttp(port);
    }

    /** Runs {@code dev.phaseline.bootstrap.Main} on the test class path. */
    static ServerProcess startMain(Path dataDir, Map<String, String> env) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return start(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()), dataDir,
                env);
    }

    /** Runs {@code java -jar} on the runnable jar. */
    static ServerProcess startJar(Path jar, Path dataDir, Map<String, String> env) {
        return startJar(jar, List.of(), dataDir, env);
    }

    /** Runs {@code java <jvmOptions> -jar} on the runnable jar. */
    static ServerProcess startJar(Path jar, List<String> jvmOptions, Path dataDir, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return start(command, dataDir, env);
    }

    private static ServerProcess start(List<String> command, Path dataDir, Map<String, String> env) {
        int port = freePort();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PHASELINE_"));
        builder.environment().put("PHASELINE_DATA_DIR", dataDir.toString());
        builder.environment().put("PHASELINE_HTTP_PORT", Integer.toString(port));
        builder.environment().put("PHASELINE_JWT_SECRET", SECRET);
        builder.environment().putAll(env);
        try {
            ServerProcess server = new ServerProcess(builder.start(), port, log);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + output());
            }
            if (http.readyStatus() == 200) {
                return;
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("the server was not ready within " + START_TIMEOUT + ":\n" + output());
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** @return the process exit code, or empty if it still runs after the timeout */
    Optional<Integer> awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? Optional.of(process.exitValue()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** @return the pid written in the embedded server's {@code postmaster.pid}, if there is one */
    static Optional<Long> postmasterPid(Path dataDir) {
        Path pidFile = dataDir.resolve(EmbeddedPostgresServer.DIRECTORY).resolve("postmaster.pid");
        try {
            return Files.exists(pidFile)
                    ? Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static boolean awaitGone(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid) && System.nanoTime() < deadline) {
            sleep(50);
        }
        return !alive(pid);
    }

    /** Stops the process gracefully if it still runs, and forcibly if that does not work. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (awaitExit(Duration.ofSeconds(20)).isEmpty()) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(10));
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
