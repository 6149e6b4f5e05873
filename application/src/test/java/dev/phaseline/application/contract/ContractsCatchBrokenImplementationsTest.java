package dev.phaseline.application.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.phaseline.application.contract.broken.BrokenEventlessStoreCase;
import dev.phaseline.application.contract.broken.BrokenFeedHeadLogCase;
import dev.phaseline.application.contract.broken.BrokenListenerIsolationBusCase;
import dev.phaseline.application.contract.broken.BrokenRegistrationBusCase;
import dev.phaseline.application.contract.broken.BrokenTenantFilterLogCase;
import dev.phaseline.application.contract.broken.BrokenVersionCheckStoreCase;
import dev.phaseline.application.contract.broken.BrokenVersionGuardCacheCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * F9: an implementation that lacks a behaviour fails its port's contract suite, and so the build. Each broken
 * implementation misses exactly one behaviour; the suite, run on it through the JUnit Platform launcher, must report
 * the tests of that behaviour as failed. The implementations that ship pass the same suites with no failure.
 */
class ContractsCatchBrokenImplementationsTest {

    static Stream<Arguments> brokenImplementations() {
        return Stream.of(
                Arguments.of(BrokenVersionGuardCacheCase.class, Set.of(
                        "an_older_version_is_refused_and_the_newer_kept",
                        "the_same_version_is_refused_and_the_cached_one_kept")),
                Arguments.of(BrokenEventlessStoreCase.class, Set.of(
                        "commit_returns_the_events_with_their_seqs_types_data_tenant_and_increasing_positions",
                        "the_log_holds_exactly_what_the_commits_returned",
                        "the_state_and_its_events_are_stored_as_one_unit",
                        "deleting_an_active_session_stores_both_the_killed_and_the_deleted_event")),
                Arguments.of(BrokenVersionCheckStoreCase.class, Set.of(
                        "creating_a_session_with_an_existing_id_is_a_version_conflict_and_changes_nothing",
                        "a_change_decided_on_a_stale_version_is_a_version_conflict_and_stores_nothing",
                        "a_change_claiming_a_newer_version_than_the_stored_one_is_a_version_conflict",
                        "a_change_to_a_session_that_was_never_created_is_a_version_conflict",
                        "of_concurrent_changes_decided_on_the_same_version_exactly_one_wins",
                        "of_concurrent_creations_with_the_same_id_exactly_one_wins")),
                Arguments.of(BrokenTenantFilterLogCase.class, Set.of(
                        "the_feed_of_a_tenant_holds_only_that_tenants_events",
                        "the_feed_of_a_tenant_filtered_by_type_holds_only_matching_events_of_that_tenant",
                        "the_feed_of_a_tenant_after_a_position_continues_where_the_reader_stopped")),
                Arguments.of(BrokenFeedHeadLogCase.class, Set.of(
                        "the_head_after_commits_is_the_last_position_the_feed_returns",
                        "a_feed_read_after_the_head_returns_only_later_commits")),
                Arguments.of(BrokenListenerIsolationBusCase.class, Set.of(
                        "a_throwing_listener_does_not_keep_others_from_their_events")),
                Arguments.of(BrokenRegistrationBusCase.class, Set.of(
                        "a_closed_registration_receives_nothing_more_while_others_still_do")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenImplementations")
    void a_contract_suite_fails_an_implementation_that_lacks_a_behaviour(Class<?> brokenCase,
            Set<String> testsOfTheMissingBehaviour) {
        Run run = run(selectClass(brokenCase));

        assertThat(run.summary().getTestsFoundCount()).as("tests found").isPositive();
        assertThat(run.summary().getTotalFailureCount()).as("failures reported").isPositive();
        assertThat(run.failedTests()).as("failed tests").containsAll(testsOfTheMissingBehaviour);
    }

    @Test
    void the_same_suites_pass_the_implementations_that_ship() {
        Run run = run(
                selectClass("dev.phaseline.application.memory.InMemorySessionStoreContractTest"),
                selectClass("dev.phaseline.application.memory.InMemoryEventLogContractTest"),
                selectClass("dev.phaseline.application.inprocess.InProcessLiveStateCacheContractTest"),
                selectClass("dev.phaseline.application.inprocess.InProcessEventBusContractTest"));

        assertThat(run.summary().getContainersFailedCount()).as("containers failed").isZero();
        assertThat(run.failedTests()).as("failed tests").isEmpty();
        assertThat(run.summary().getTestsSucceededCount()).as("tests passed")
                .isEqualTo(run.summary().getTestsFoundCount()).isGreaterThan(50);
    }

    /** What a launcher run reported: its summary and the names of the test methods that failed. */
    private record Run(TestExecutionSummary summary, List<String> failedTests) {
    }

    /**
     * Runs only the selected classes, so this test never discovers itself or anything Surefire runs on its own.
     */
    private static Run run(DiscoverySelector... selectors) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        List<String> failed = new ArrayList<>();
        TestExecutionListener failures = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED
                        && test.getSource().orElse(null)
                                instanceof org.junit.platform.engine.support.descriptor.MethodSource method) {
                    synchronized (failed) {
                        failed.add(method.getMethodName());
                    }
                }
            }
        };
        LauncherFactory.create().execute(request, summary, failures);
        return new Run(summary.getSummary(), List.copyOf(failed));
    }
}
