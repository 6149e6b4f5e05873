package dev.phaseline.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.function.Function;

/**
 * The architecture of Phaseline as ArchUnit rules, built over a root package.
 *
 * <p>Production code is checked with the root {@code dev.phaseline}; the self-tests build the very same rules
 * over the fixture roots under {@code archfixtures} and prove that each rule fails on code that breaks it. Every
 * module lives in one package under the root: {@code domain}, {@code application}, {@code adapters.postgres},
 * {@code adapters.redis}, {@code adapters.http} and {@code bootstrap}.
 *
 * <p>Where a rule forbids a library "outside" a module, its subjects are all classes under the root except that
 * module, so the rule always has the domain to check and never passes merely because a module is still empty.
 */
final class PhaselineArchitecture {

    /** Every rule, so that tests can walk all of them. */
    enum Rule {
        DOMAIN_DEPENDS_ONLY_ON_CORE_JDK(
                PhaselineArchitecture::domainDependsOnlyOnCoreJdk),
        APPLICATION_DEPENDS_ONLY_ON_DOMAIN_SLF4J_AND_JDK(
                PhaselineArchitecture::applicationDependsOnlyOnDomainSlf4jAndJdk),
        ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER(
                PhaselineArchitecture::adaptersDoNotDependOnEachOther),
        ONLY_BOOTSTRAP_DEPENDS_ON_ADAPTERS(
                PhaselineArchitecture::onlyBootstrapDependsOnAdapters),
        PERSISTENCE_LIBRARIES_ONLY_IN_POSTGRES_ADAPTER(
                PhaselineArchitecture::persistenceLibrariesOnlyInPostgresAdapter),
        LETTUCE_ONLY_IN_REDIS_ADAPTER(
                PhaselineArchitecture::lettuceOnlyInRedisAdapter),
        JAVALIN_ONLY_IN_HTTP_ADAPTER_AND_BOOTSTRAP(
                PhaselineArchitecture::javalinOnlyInHttpAdapterAndBootstrap),
        NO_JSON_LIBRARY_IN_DOMAIN_OR_APPLICATION(
                PhaselineArchitecture::noJsonLibraryInDomainOrApplication),
        NO_PACKAGE_CYCLES(
                PhaselineArchitecture::noPackageCycles);

        private final Function<String, ArchRule> factory;

        Rule(Function<String, ArchRule> factory) {
            this.factory = factory;
        }

        /** @return this rule over the given root package, a new rule object on every call */
        ArchRule on(String root) {
            return factory.apply(root);
        }
    }

    private static final String[] PERSISTENCE_LIBRARIES = {
        "jakarta.persistence..", "org.hibernate..", "org.flywaydb..", "com.zaxxer.."
    };

    private static final String[] JSON_LIBRARIES = {
        "com.fasterxml.jackson..", "tools.jackson..", "com.google.gson..",
        "jakarta.json..", "javax.json..", "org.json.."
    };

    private PhaselineArchitecture() {
    }

    static ArchRule domainDependsOnlyOnCoreJdk(String root) {
        return classes()
                .that().resideInAPackage(domain(root))
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(domain(root), "java.lang..", "java.util..", "java.time..", "java.math..")
                .because("the domain is the session lifecycle as pure Java: no framework, no JSON library, no I/O, "
                        + "no logging, and no clock or randomness of its own, so it is tested without any "
                        + "infrastructure and embedded anywhere");
    }

    static ArchRule applicationDependsOnlyOnDomainSlf4jAndJdk(String root) {
        return classes()
                .that().resideInAPackage(application(root))
                .should().onlyDependOnClassesThat(
                        resideInAnyPackage(application(root), domain(root), "java..", "org.slf4j..")
                                .and(not(resideInAnyPackage("java.sql..", "javax.sql..", "java.net.http.."))))
                .because("the application reaches storage, caches, buses and networks only through its own ports; "
                        + "JDBC, an HTTP client or any framework here would bypass them, and embedders must be able "
                        + "to use it with nothing but the domain and slf4j-api");
    }

    static ArchRule adaptersDoNotDependOnEachOther(String root) {
        return slices()
                .matching(root + ".adapters.(*)..")
                .should().notDependOnEachOther()
                .because("each adapter is one technology that bootstrap wires in or leaves out on its own; an adapter "
                        + "reaching into another would make both deploy, fail and change together");
    }

    static ArchRule onlyBootstrapDependsOnAdapters(String root) {
        return noClasses()
                .that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(adapters(root), bootstrap(root))
                .should().dependOnClassesThat().resideInAPackage(adapters(root))
                .because("adapters are chosen and wired in one place; everything else sees only the application's "
                        + "ports, so replacing PostgreSQL, Redis or HTTP never touches it");
    }

    static ArchRule persistenceLibrariesOnlyInPostgresAdapter(String root) {
        return noClasses()
                .that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackage(root + ".adapters.postgres..")
                .should().dependOnClassesThat().resideInAnyPackage(PERSISTENCE_LIBRARIES)
                .because("JPA, Hibernate, Flyway and HikariCP are details of the PostgreSQL adapter: their types and "
                        + "exceptions are translated there and never cross a port, and migrations run only there");
    }

    static ArchRule lettuceOnlyInRedisAdapter(String root) {
        return noClasses()
                .that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackage(root + ".adapters.redis..")
                .should().dependOnClassesThat().resideInAPackage("io.lettuce..")
                .because("Lettuce is a detail of the Redis adapter: its types and exceptions are translated there, "
                        + "and nothing else may assume Redis, since the single-node default runs without it");
    }

    static ArchRule javalinOnlyInHttpAdapterAndBootstrap(String root) {
        return noClasses()
                .that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(root + ".adapters.http..", bootstrap(root))
                .should().dependOnClassesThat().resideInAPackage("io.javalin..")
                .because("Javalin is the HTTP adapter's framework; only that adapter and bootstrap, which starts the "
                        + "server and mounts the routes, may know it, so the rest stays usable without a web server");
    }

    static ArchRule noJsonLibraryInDomainOrApplication(String root) {
        return noClasses()
                .that().resideInAnyPackage(domain(root), application(root))
                .should().dependOnClassesThat().resideInAnyPackage(JSON_LIBRARIES)
                .because("the domain holds JSON as its own opaque value type; a JSON library in the domain or the "
                        + "application would leak its types into the embedders' API and pin them to one version of it");
    }

    static ArchRule noPackageCycles(String root) {
        return slices()
                .matching(root + ".(**)")
                .should().beFreeOfCycles()
                .because("a package in a cycle cannot be understood, tested or moved without the others; "
                        + "dependencies point one way, from bootstrap and adapters inwards to the domain");
    }

    private static String domain(String root) {
        return root + ".domain..";
    }

    private static String application(String root) {
        return root + ".application..";
    }

    private static String adapters(String root) {
        return root + ".adapters..";
    }

    private static String bootstrap(String root) {
        return root + ".bootstrap..";
    }
}
