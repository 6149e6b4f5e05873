package dev.phaseline.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Runs an operation on N threads: a warm-up, then one timed window; counts only operations that succeeded. */
final class Throughput {

    /** One operation of one thread; {@code thread} is 0..threads-1, {@code n} counts that thread's calls. */
    @FunctionalInterface
    interface Operation {
        void run(int thread, long n) throws Exception;
    }

    /**
     * @param ops     operations completed in the window
     * @param errors  operations that threw in the window
     * @param seconds the window's measured length
     * @param firstError the first failure anywhere, or {@code null}
     * @param clientCpuNanos CPU this JVM used in the window
     * @param serverCpuNanos CPU PostgreSQL used in the window, or -1 if unknown
     * @param loadCpuNanos CPU the operation threads themselves used in the window (part of clientCpuNanos)
     */
    record Result(long ops, long errors, double seconds, Throwable firstError, long clientCpuNanos,
            long serverCpuNanos, long loadCpuNanos) {
        double opsPerSecond() {
            return ops / seconds;
        }

        /** @return client (JVM) CPU µs per operation */
        double clientCpuMicros() {
            return ops == 0 ? 0 : clientCpuNanos / 1e3 / ops;
        }

        /** @return CPU µs per operation of the operation threads (the load generator, or the JDBC calls) */
        double loadCpuMicros() {
            return ops == 0 ? 0 : loadCpuNanos / 1e3 / ops;
        }

        /** @return CPU µs per operation of this JVM outside the operation threads */
        double restCpuMicros() {
            return ops == 0 ? 0 : (clientCpuNanos - loadCpuNanos) / 1e3 / ops;
        }

        /** @return server (PostgreSQL) CPU µs per operation, or -1 if unknown */
        double serverCpuMicros() {
            return ops == 0 || serverCpuNanos < 0 ? -1 : serverCpuNanos / 1e3 / ops;
        }
    }

    private Throughput() {
    }

    static Result measure(int threads, Duration warmup, Duration window, CpuMeter cpu, Operation operation) {
        AtomicLong[] done = new AtomicLong[threads];
        AtomicLong[] failed = new AtomicLong[threads];
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done[t] = new AtomicLong();
            failed[t] = new AtomicLong();
            Thread worker = new Thread(() -> {
                long n = 0;
                while (!stop.get()) {
                    try {
                        operation.run(thread, n++);
                        done[thread].lazySet(done[thread].get() + 1);
                    } catch (Exception | Error e) {
                        failed[thread].incrementAndGet();
                        firstError.compareAndSet(null, e);
                    }
                }
            }, "bench-" + t);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
        sleep(warmup);
        long ops0 = sum(done);
        long errors0 = sum(failed);
        CpuMeter.Reading cpu0 = cpu.read();
        long load0 = threadCpu(workers);
        long t0 = System.nanoTime();
        sleep(window);
        long ops1 = sum(done);
        long errors1 = sum(failed);
        long t1 = System.nanoTime();
        long load1 = threadCpu(workers);
        CpuMeter.Reading cpu1 = cpu.read();
        stop.set(true);
        for (Thread worker : workers) {
            try {
                worker.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return new Result(ops1 - ops0, errors1 - errors0, (t1 - t0) / 1e9, firstError.get(),
                cpu1.client() - cpu0.client(),
                cpu0.server() < 0 || cpu1.server() < 0 ? -1 : cpu1.server() - cpu0.server(), load1 - load0);
    }

    private static long threadCpu(List<Thread> threads) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : threads) {
            long nanos = mx.getThreadCpuTime(thread.getId());
            total += Math.max(0, nanos);
        }
        return total;
    }

    private static long sum(AtomicLong[] counters) {
        long total = 0;
        for (AtomicLong counter : counters) {
            total += counter.get();
        }
        return total;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
