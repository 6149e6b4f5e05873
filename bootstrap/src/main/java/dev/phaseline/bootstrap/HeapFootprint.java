package dev.phaseline.bootstrap;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the server's committed heap close to its live heap. A node holds many open streams that are mostly idle, a
 * few KB of live heap each; the JVM's default lets the heap stay up to 70 % free after a collection
 * ({@code MaxHeapFreeRatio}), so a node holding 19,000 streams kept more than twice the heap it used, and that, not
 * the streams, was most of its resident memory. The server therefore lowers the free ratios to
 * {@value #MIN_FREE} % and {@value #MAX_FREE} %, trading some more collections for a heap that follows what is live.
 *
 * <p>Only the server does this (an embedder's JVM is the embedder's), and only for a ratio the operator left at the
 * JVM's default: {@code -XX:MinHeapFreeRatio} or {@code -XX:MaxHeapFreeRatio} given on the command line, or in
 * {@code JAVA_TOOL_OPTIONS}, wins. Both flags are manageable, so the change takes effect at once; a JVM that does not
 * have them is left alone.
 */
final class HeapFootprint {

    private static final Logger LOG = LoggerFactory.getLogger(HeapFootprint.class);

    static final int MIN_FREE = 10;
    static final int MAX_FREE = 20;

    private HeapFootprint() {
    }

    /** Applies the ratios to this JVM, logging what it changed. */
    static void apply() {
        try {
            List<String> changed = apply(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class));
            if (!changed.isEmpty()) {
                LOG.info("heap kept close to its live size: {} (set your own -XX flags to choose otherwise)",
                        String.join(", ", changed));
            }
        } catch (RuntimeException e) {
            LOG.debug("heap free ratios left as they are", e);
        }
    }

    /**
     * @param vm the JVM's diagnostic interface
     * @return the options changed, as {@code name=value}
     */
    static List<String> apply(HotSpotDiagnosticMXBean vm) {
        List<String> changed = new ArrayList<>();
        // The minimum goes first: the JVM refuses a maximum below the current minimum (40 % by default).
        setIfDefault(vm, "MinHeapFreeRatio", MIN_FREE, changed);
        setIfDefault(vm, "MaxHeapFreeRatio", MAX_FREE, changed);
        return changed;
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean vm, String name, int value, List<String> changed) {
        VMOption option = vm.getVMOption(name);
        if (option.getOrigin() != VMOption.Origin.DEFAULT || !option.isWriteable()) {
            return;
        }
        vm.setVMOption(name, Integer.toString(value));
        changed.add(name + "=" + value);
    }
}
