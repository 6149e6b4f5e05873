package dev.phaseline.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.phaseline.architecture.PhaselineArchitecture.Rule;

/**
 * Checks every architecture rule against the main classes of all modules, as they reach this module through
 * {@code bootstrap}'s dependencies: as jars, or as {@code target/classes} directories in a reactor build. Test
 * classes and test-jars are never imported.
 *
 * <p>The application rule and the adapter rule are methods rather than fields, because their modules may still
 * be empty; see {@link #checkAllowingEmptyOnlyWhileUnpopulated}.
 */
@AnalyzeClasses(
        packages = ArchitectureTest.ROOT,
        importOptions = {ImportOption.DoNotIncludeTests.class, DoNotIncludeTestArtifacts.class})
class ArchitectureTest {

    static final String ROOT = "dev.phaseline";

    @ArchTest
    static final ArchRule domain_depends_only_on_itself_and_the_core_jdk =
            Rule.DOMAIN_DEPENDS_ONLY_ON_CORE_JDK.on(ROOT);

    @ArchTest
    static void application_depends_only_on_itself_the_domain_slf4j_and_the_jdk(JavaClasses classes) {
        checkAllowingEmptyOnlyWhileUnpopulated(
                Rule.APPLICATION_DEPENDS_ONLY_ON_DOMAIN_SLF4J_AND_JDK.on(ROOT), classes, ROOT + ".application");
    }

    @ArchTest
    static void adapters_do_not_depend_on_each_other(JavaClasses classes) {
        checkAllowingEmptyOnlyWhileUnpopulated(
                Rule.ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER.on(ROOT), classes, ROOT + ".adapters");
    }

    @ArchTest
    static final ArchRule only_bootstrap_depends_on_adapters =
            Rule.ONLY_BOOTSTRAP_DEPENDS_ON_ADAPTERS.on(ROOT);

    @ArchTest
    static final ArchRule jpa_hibernate_flyway_and_hikari_are_used_only_in_the_postgres_adapter =
            Rule.PERSISTENCE_LIBRARIES_ONLY_IN_POSTGRES_ADAPTER.on(ROOT);

    @ArchTest
    static final ArchRule lettuce_is_used_only_in_the_redis_adapter =
            Rule.LETTUCE_ONLY_IN_REDIS_ADAPTER.on(ROOT);

    @ArchTest
    static final ArchRule javalin_is_used_only_in_the_http_adapter_and_bootstrap =
            Rule.JAVALIN_ONLY_IN_HTTP_ADAPTER_AND_BOOTSTRAP.on(ROOT);

    @ArchTest
    static final ArchRule domain_and_application_use_no_json_library =
            Rule.NO_JSON_LIBRARY_IN_DOMAIN_OR_APPLICATION.on(ROOT);

    @ArchTest
    static final ArchRule packages_are_free_of_cycles =
            Rule.NO_PACKAGE_CYCLES.on(ROOT);

    @ArchTest
    static void the_import_holds_the_main_classes_of_the_domain_and_no_test_code(JavaClasses classes) {
        assertThat(classes)
                .as("main classes of %s.domain", ROOT)
                .anyMatch(javaClass -> javaClass.getPackageName().startsWith(ROOT + ".domain"));
        assertThat(classes)
                .as("test classes in the production import")
                .noneMatch(ArchitectureTest::looksLikeTestCode);
    }

    /**
     * The rules whose subjects live in a single module are strict as soon as that module has a class; until then
     * they may check nothing. This is the only place where an empty rule is allowed, and it expires by itself:
     * once the module has a class, a rule that selects none of its classes fails. The self-tests prove against
     * populated fixtures that these rules select the module's classes.
     */
    private static void checkAllowingEmptyOnlyWhileUnpopulated(
            ArchRule rule, JavaClasses classes, String modulePackage) {
        boolean unpopulated = classes.stream().noneMatch(javaClass -> residesIn(javaClass, modulePackage));
        rule.allowEmptyShould(unpopulated).check(classes);
    }

    private static boolean residesIn(JavaClass javaClass, String packageName) {
        String name = javaClass.getPackageName();
        return name.equals(packageName) || name.startsWith(packageName + ".");
    }

    private static boolean looksLikeTestCode(JavaClass javaClass) {
        String simpleName = javaClass.getSimpleName();
        boolean testName = simpleName.endsWith("Test") || simpleName.endsWith("Tests")
                || simpleName.endsWith("IT") || simpleName.endsWith("Contract");
        boolean testLocation = javaClass.getSource()
                .map(source -> source.getUri().toString())
                .filter(uri -> uri.contains("/test-classes/") || uri.contains("-tests.jar"))
                .isPresent();
        return testName || testLocation || residesIn(javaClass, ROOT + ".architecture");
    }
}
