package dev.phaseline.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by this JVM (client: application, driver, pool, GC, JIT) and, on Linux with the embedded server,
 * by PostgreSQL (the postmaster, its live children and the children it already reaped). Dividing by operations gives
 * CPU per operation on each side, which external load on a shared machine changes far less than throughput.
 */
final class CpuMeter {

    /** A reading, in nanoseconds; {@code server} is -1 when it cannot be read. */
    record Reading(long client, long server) {
    }

    private final long postmasterPid;
    private final long nanosPerTick;

    private CpuMeter(long postmasterPid) {
        this.postmasterPid = postmasterPid;
        this.nanosPerTick = 10_000_000L; // USER_HZ is 100 on Linux
    }

    /** @param dataDirectory the server's data directory, or {@code null} when the server is not local */
    static CpuMeter of(String dataDirectory) {
        long pid = -1;
        if (dataDirectory != null) {
            try {
                pid = Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).trim());
            } catch (IOException | RuntimeException e) {
                pid = -1;
            }
        }
        return new CpuMeter(pid);
    }

    boolean measuresServer() {
        return postmasterPid > 0;
    }

    Reading read() {
        long client = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Reading(client, postmasterPid > 0 ? serverTicks() * nanosPerTick : -1);
    }

    private long serverTicks() {
        long total = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                long[] stat = stat(process);
                if (stat == null) {
                    continue;
                }
                if (stat[0] == postmasterPid) {
                    total += stat[2] + stat[3] + stat[4] + stat[5];
                } else if (stat[1] == postmasterPid) {
                    total += stat[2] + stat[3];
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /** @return pid, ppid, utime, stime, cutime, cstime, or {@code null} if the process is gone */
    private static long[] stat(Path process) {
        String text;
        try {
            text = Files.readString(process.resolve("stat"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = text.substring(close + 2).split(" ");
        // after "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        // cutime cstime
        try {
            long pid = Long.parseLong(text.substring(0, text.indexOf(' ')));
            return new long[] {pid, Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                    Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (RuntimeException e) {
            return null;
        }
    }
}
