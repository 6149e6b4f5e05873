package dev.phaseline.benchmarks;

import dev.phaseline.application.ListSessions;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.SessionPage;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongFunction;

/** Measures the latency of one list query, called back to back on one thread: a warm-up, then a timed window. */
final class ListLatency {

    /** A list call: the principal and the query for call number {@code n}. */
    record Call(Principal principal, ListSessions query) {
    }

    /**
     * @param filter what was listed
     * @param calls  calls in the window
     * @param rows   rows on the last page returned
     * @param p50    median latency, ms
     * @param p99    99th percentile, ms
     * @param mean   mean latency, ms
     */
    record Result(String filter, int calls, int rows, double p50, double p99, double mean) {
    }

    private ListLatency() {
    }

    static Result measure(PhaselineCore core, String filter, Duration warmup, Duration window,
            LongFunction<Call> calls) {
        long n = 0;
        long warmEnd = System.nanoTime() + warmup.toNanos();
        int rows = 0;
        while (System.nanoTime() < warmEnd) {
            Call call = calls.apply(n++);
            rows = core.queries().list(call.principal(), call.query()).items().size();
        }
        long[] samples = new long[1 << 14];
        int count = 0;
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            Call call = calls.apply(n++);
            long start = System.nanoTime();
            SessionPage page = core.queries().list(call.principal(), call.query());
            long took = System.nanoTime() - start;
            rows = page.items().size();
            if (count == samples.length) {
                samples = Arrays.copyOf(samples, count * 2);
            }
            samples[count++] = took;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        return new Result(filter, count, rows, percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
                mean);
    }

    /** Nearest rank. */
    static long percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
