package dev.phaseline.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class HeapFootprintTest {

    @Test
    void ratios_left_at_the_jvm_default_are_lowered_minimum_first() {
        FakeVm vm = new FakeVm(Map.of("MinHeapFreeRatio", VMOption.Origin.DEFAULT, "MaxHeapFreeRatio",
                VMOption.Origin.DEFAULT));

        List<String> changed = HeapFootprint.apply(vm);

        assertThat(changed).containsExactly("MinHeapFreeRatio=10", "MaxHeapFreeRatio=20");
        assertThat(vm.set).containsExactly(Map.entry("MinHeapFreeRatio", "10"), Map.entry("MaxHeapFreeRatio", "20"));
    }

    @Test
    void a_ratio_the_operator_chose_is_kept() {
        FakeVm vm = new FakeVm(Map.of("MinHeapFreeRatio", VMOption.Origin.DEFAULT, "MaxHeapFreeRatio",
                VMOption.Origin.VM_CREATION));

        List<String> changed = HeapFootprint.apply(vm);

        assertThat(changed).containsExactly("MinHeapFreeRatio=10");
        assertThat(vm.set).containsOnlyKeys("MinHeapFreeRatio");
    }

    /** Records what is set; refuses a maximum below the minimum as the JVM does. */
    private static final class FakeVm implements HotSpotDiagnosticMXBean {
        private final Map<String, VMOption.Origin> origins;
        private final Map<String, String> values = new LinkedHashMap<>(Map.of("MinHeapFreeRatio", "40",
                "MaxHeapFreeRatio", "70"));
        final Map<String, String> set = new LinkedHashMap<>();

        FakeVm(Map<String, VMOption.Origin> origins) {
            this.origins = origins;
        }

        @Override
        public VMOption getVMOption(String name) {
            return new VMOption(name, values.get(name), true, origins.get(name));
        }

        @Override
        public void setVMOption(String name, String value) {
            if (name.equals("MaxHeapFreeRatio")
                    && Integer.parseInt(value) < Integer.parseInt(values.get("MinHeapFreeRatio"))) {
                throw new IllegalArgumentException("MaxHeapFreeRatio below MinHeapFreeRatio");
            }
            values.put(name, value);
            set.put(name, value);
        }

        @Override
        public void dumpHeap(String outputFile, boolean live) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<VMOption> getDiagnosticOptions() {
            return List.of();
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }
}
