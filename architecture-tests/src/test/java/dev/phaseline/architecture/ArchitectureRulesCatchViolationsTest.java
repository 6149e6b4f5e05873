package dev.phaseline.architecture;

import static dev.phaseline.architecture.PhaselineArchitecture.Rule.ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER;
import static dev.phaseline.architecture.PhaselineArchitecture.Rule.APPLICATION_DEPENDS_ONLY_ON_DOMAIN_SLF4J_AND_JDK;
import static dev.phaseline.architecture.PhaselineArchitecture.Rule.DOMAIN_DEPENDS_ONLY_ON_CORE_JDK;
import static dev.phaseline.architecture.PhaselineArchitecture.Rule.JAVALIN_ONLY_IN_HTTP_ADAPTER_AND_BOOTSTRAP;
import static dev.phaseline.architecture.PhaselineArchitecture.Rule.LETTUCE_ONLY_IN_REDIS_ADAPTER;
import static dev.phaseline.architecture.PhaselineArchitecture.Rule.NO_JSON_LIBRARY_IN_DOMAIN_OR_APPLICATION;
import static dev.phaseline.architecture.PhaselineArchitecture.Rule.NO_PACKAGE_CYCLES;
import static dev.phaseline.architecture.PhaselineArchitecture.Rule.ONLY_BOOTSTRAP_DEPENDS_ON_ADAPTERS;
import static dev.phaseline.architecture.PhaselineArchitecture.Rule.PERSISTENCE_LIBRARIES_ONLY_IN_POSTGRES_ADAPTER;
import static org.assertj.core.api.Assertions.assertThat;

import archfixtures.adaptercoupling.adapters.redis.RedisLiveStateCache;
import archfixtures.adapterleak.benchmarks.SessionStoreBenchmark;
import archfixtures.applicationleak.application.JdbcSessionLoader;
import archfixtures.applicationleak.application.SessionMetrics;
import archfixtures.applicationleak.application.WebhookNotifier;
import archfixtures.domainio.domain.SessionArchive;
import archfixtures.javalinleak.adapters.redis.RedisSseRelay;
import archfixtures.jsonleak.application.EventSerializer;
import archfixtures.jsonleak.domain.SessionInput;
import archfixtures.lettuceleak.adapters.http.ReadinessRoute;
import archfixtures.lettuceleak.bootstrap.RedisSettings;
import archfixtures.packagecycle.application.SessionQueries;
import archfixtures.packagecycle.application.port.SessionStore;
import archfixtures.persistenceleak.adapters.http.ConflictProblemMapper;
import archfixtures.persistenceleak.adapters.http.SessionQueryRoutes;
import archfixtures.persistenceleak.bootstrap.Migrations;
import archfixtures.persistenceleak.bootstrap.PoolSettings;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.phaseline.architecture.PhaselineArchitecture.Rule;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves that each architecture rule catches what it is meant to catch, by building it over a fixture root
 * under {@code archfixtures} that breaks it, and that it lets a compliant layout through.
 */
class ArchitectureRulesCatchViolationsTest {

    /** The fixture roots, each with the rules it breaks. */
    enum Fixture {
        COMPLIANT("compliant"),
        DOMAIN_IO("domainio", DOMAIN_DEPENDS_ONLY_ON_CORE_JDK),
        APPLICATION_LEAK("applicationleak", APPLICATION_DEPENDS_ONLY_ON_DOMAIN_SLF4J_AND_JDK),
        ADAPTER_COUPLING("adaptercoupling", ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER),
        ADAPTER_LEAK("adapterleak", ONLY_BOOTSTRAP_DEPENDS_ON_ADAPTERS),
        PERSISTENCE_LEAK("persistenceleak", PERSISTENCE_LIBRARIES_ONLY_IN_POSTGRES_ADAPTER),
        LETTUCE_LEAK("lettuceleak", LETTUCE_ONLY_IN_REDIS_ADAPTER),
        JAVALIN_LEAK("javalinleak", JAVALIN_ONLY_IN_HTTP_ADAPTER_AND_BOOTSTRAP),
        // A JSON library in the domain or the application necessarily breaks their own rules too.
        JSON_LEAK("jsonleak", NO_JSON_LIBRARY_IN_DOMAIN_OR_APPLICATION,
                DOMAIN_DEPENDS_ONLY_ON_CORE_JDK, APPLICATION_DEPENDS_ONLY_ON_DOMAIN_SLF4J_AND_JDK),
        PACKAGE_CYCLE("packagecycle", NO_PACKAGE_CYCLES);

        private static final Map<Fixture, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

        final String root;
        final Set<Rule> breaks;

        Fixture(String name, Rule... breaks) {
            this.root = "archfixtures." + name;
            this.breaks = breaks.length == 0 ? EnumSet.noneOf(Rule.class) : EnumSet.copyOf(Arrays.asList(breaks));
        }

        JavaClasses classes() {
            return IMPORTED.computeIfAbsent(this, fixture -> new ClassFileImporter().importPackages(fixture.root));
        }
    }

    @Test
    void domain_rule_rejects_a_domain_class_that_reads_files() {
        assertRejects(DOMAIN_DEPENDS_ONLY_ON_CORE_JDK, Fixture.DOMAIN_IO, SessionArchive.class);
    }

    @Test
    void application_rule_rejects_jdbc_the_http_client_and_frameworks_in_the_application() {
        assertRejects(APPLICATION_DEPENDS_ONLY_ON_DOMAIN_SLF4J_AND_JDK, Fixture.APPLICATION_LEAK,
                JdbcSessionLoader.class, WebhookNotifier.class, SessionMetrics.class);
    }

    @Test
    void adapter_rule_rejects_an_adapter_that_uses_another_adapter() {
        assertRejects(ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER, Fixture.ADAPTER_COUPLING, RedisLiveStateCache.class);
    }

    @Test
    void bootstrap_rule_rejects_a_class_outside_bootstrap_that_builds_an_adapter() {
        assertRejects(ONLY_BOOTSTRAP_DEPENDS_ON_ADAPTERS, Fixture.ADAPTER_LEAK, SessionStoreBenchmark.class);
    }

    @Test
    void persistence_rule_rejects_jpa_hibernate_flyway_and_hikari_outside_the_postgres_adapter() {
        assertRejects(PERSISTENCE_LIBRARIES_ONLY_IN_POSTGRES_ADAPTER, Fixture.PERSISTENCE_LEAK,
                SessionQueryRoutes.class, ConflictProblemMapper.class, Migrations.class, PoolSettings.class);
    }

    @Test
    void lettuce_rule_rejects_lettuce_in_bootstrap_and_in_the_http_adapter() {
        assertRejects(LETTUCE_ONLY_IN_REDIS_ADAPTER, Fixture.LETTUCE_LEAK,
                RedisSettings.class, ReadinessRoute.class);
    }

    @Test
    void javalin_rule_rejects_javalin_in_the_redis_adapter() {
        assertRejects(JAVALIN_ONLY_IN_HTTP_ADAPTER_AND_BOOTSTRAP, Fixture.JAVALIN_LEAK, RedisSseRelay.class);
    }

    @Test
    void json_rule_rejects_jackson_in_the_domain_and_in_the_application() {
        assertRejects(NO_JSON_LIBRARY_IN_DOMAIN_OR_APPLICATION, Fixture.JSON_LEAK,
                SessionInput.class, EventSerializer.class);
    }

    @Test
    void cycle_rule_rejects_a_port_that_points_back_into_the_application() {
        assertRejects(NO_PACKAGE_CYCLES, Fixture.PACKAGE_CYCLE, SessionQueries.class, SessionStore.class);
    }

    @Test
    void every_rule_has_a_fixture_that_breaks_it() {
        Set<Rule> covered = Arrays.stream(Fixture.values())
                .flatMap(fixture -> fixture.breaks.stream())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));

        assertThat(covered).containsExactlyInAnyOrder(Rule.values());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fixture.class)
    void each_fixture_breaks_exactly_the_rules_it_was_written_against(Fixture fixture) {
        Set<Rule> broken = Arrays.stream(Rule.values())
                // A rule with nothing to check in this fixture is not broken by it.
                .filter(rule -> rule.on(fixture.root).allowEmptyShould(true).evaluate(fixture.classes()).hasViolation())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));

        assertThat(broken).containsExactlyInAnyOrderElementsOf(fixture.breaks);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Rule.class)
    void every_rule_finds_classes_to_check_in_the_compliant_fixture_and_accepts_them(Rule rule) {
        EvaluationResult result = rule.on(Fixture.COMPLIANT.root)
                .allowEmptyShould(false)
                .evaluate(Fixture.COMPLIANT.classes());

        assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
    }

    /**
     * Asserts that the rule, built over the fixture's root, fails; that the report names every offender; and that
     * every line of it is about one of them, so that the compliant neighbours in the fixture pass.
     */
    private static void assertRejects(Rule rule, Fixture fixture, Class<?>... offenders) {
        EvaluationResult result = rule.on(fixture.root).evaluate(fixture.classes());
        List<String> details = result.getFailureReport().getDetails();
        List<String> offenderNames = Arrays.stream(offenders).map(Class::getName).collect(Collectors.toList());

        assertThat(result.hasViolation()).as("%s on %s", rule, fixture.root).isTrue();
        assertThat(offenderNames).allSatisfy(offender -> assertThat(details).anyMatch(line -> line.contains(offender)));
        assertThat(details).allSatisfy(line -> assertThat(offenderNames).anyMatch(line::contains));
    }
}
