package dev.phaseline.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A helper JVM on this jar's classpath, driven by lines: commands go to its stdin, its stdout lines are read by a
 * thread of their own and waited for by prefix. Its stderr goes to ours.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final PrintStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process, Predicate<String> takes) {
        this.process = process;
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!takes.test(line)) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "child-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param jvmOptions options before the class name, such as {@code -Xmx1g}
     * @param mainClass  the class to run
     * @param args       its arguments
     * @param takes      called on the reader thread with every stdout line; a line it takes (answers true for) is
     *                   not kept to be waited for
     */
    static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, List<String> args, Predicate<String> takes)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Bench.javaBinary());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(Bench.classPath());
        command.add(mainClass.getName());
        command.addAll(args);
        return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start(), takes);
    }

    long pid() {
        return process.pid();
    }

    void send(String line) {
        in.println(line);
    }

    /**
     * Waits for the next line with the prefix; lines before it are shown as progress.
     *
     * @throws IllegalStateException if none comes in time
     */
    String expect(String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("the helper JVM did not answer " + prefix + " in " + seconds + " s");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            Bench.progress("helper: " + line);
        }
    }

    /** Asks the child to quit, and ends it if it has not within ten seconds. */
    @Override
    public void close() throws InterruptedException {
        send("QUIT");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
        }
    }
}
