package dev.phaseline.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * Keeps test code out of the production import wherever it comes from: a module's {@code test-classes}
 * directory, or a {@code test-jar} such as {@code application-<version>-tests.jar}, which ships the port
 * contracts and the in-memory store and log to the adapters.
 *
 * <p>{@link ImportOption.DoNotIncludeTests} already skips {@code target/test-classes} but not test-jars. Main
 * jars and {@code target/classes} directories stay in: depending on the build, the sibling modules are on the
 * class path as either.
 */
public final class DoNotIncludeTestArtifacts implements ImportOption {

    @Override
    public boolean includes(Location location) {
        return !location.contains("-tests.jar") && !location.contains("/test-classes/");
    }
}
