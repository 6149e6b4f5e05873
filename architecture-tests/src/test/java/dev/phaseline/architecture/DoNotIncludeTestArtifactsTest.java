package dev.phaseline.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.Location;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DoNotIncludeTestArtifactsTest {

    private final DoNotIncludeTestArtifacts option = new DoNotIncludeTestArtifacts();

    @Test
    void a_test_jar_is_not_imported() {
        assertThat(option.includes(location("jar:file:/home/dev/.m2/repository/dev/phaseline/application/"
                + "0.1.0-SNAPSHOT/application-0.1.0-SNAPSHOT-tests.jar!/dev/phaseline/application/Probe.class")))
                .isFalse();
        assertThat(option.includes(location(
                "jar:file:/src/phaseline/application/target/application-0.1.0-SNAPSHOT-tests.jar"
                        + "!/dev/phaseline/application/Probe.class")))
                .isFalse();
    }

    @Test
    void a_test_classes_directory_is_not_imported() {
        assertThat(option.includes(location(
                "file:/src/phaseline/application/target/test-classes/dev/phaseline/application/Probe.class")))
                .isFalse();
    }

    @Test
    void main_jars_and_main_classes_directories_are_imported() {
        assertThat(option.includes(location("jar:file:/home/dev/.m2/repository/dev/phaseline/application/"
                + "0.1.0-SNAPSHOT/application-0.1.0-SNAPSHOT.jar!/dev/phaseline/application/Probe.class")))
                .isTrue();
        assertThat(option.includes(location(
                "jar:file:/src/phaseline/domain/target/domain-0.1.0-SNAPSHOT.jar!/dev/phaseline/domain/Probe.class")))
                .isTrue();
        assertThat(option.includes(location(
                "file:/src/phaseline/domain/target/classes/dev/phaseline/domain/Probe.class")))
                .isTrue();
    }

    private static Location location(String uri) {
        return Location.of(URI.create(uri));
    }
}
