package dev.phaseline.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phaseline.application.port.SessionChange;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.PhaseOrder;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.Transition;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Sessions, times and JSON the contract suites build their cases from, all through the domain. */
final class ContractFixtures {

    /** The time every case starts from; it carries microseconds, which every store must keep. */
    static final Instant BASE = Instant.parse("2030-01-02T03:04:05.123456Z");

    /** An input that exercises every JSON shape a store must keep: nesting, unicode, escapes, exact decimals. */
    static final String RICH_JSON = """
            {"topic": "pricing", "rounds": 3, "ratio": 0.1, "negative": -2.50, "big": 12345678901234567890,
             "flags": {"clarify": true, "dryRun": false, "none": null},
             "tags": ["a", "ü", "😀", "line\\nbreak"],
             "nested": {"deep": {"list": [1, [2, 3], {"k": "v"}], "empty": {}, "none": []}},
             "text": "he said \\"hi\\"\\n\\ndata: injected \\\\ back"}""";

    private ContractFixtures() {
    }

    /**
     * @param step a step number
     * @return {@link #BASE} plus {@code step} milliseconds and {@code step} microseconds, so that every step has a
     *         distinct time with a distinct microsecond part
     */
    static Instant at(long step) {
        return BASE.plus(Duration.ofNanos(step * 1_001_000L));
    }

    /** @return a tenant id no other case uses */
    static String newTenant() {
        return "tenant-" + UUID.randomUUID();
    }

    /** @return a random session id */
    static SessionId newId() {
        return new SessionId(UUID.randomUUID());
    }

    /**
     * @param firstHexDigit the first character of the id's text
     * @return a random id whose lowercase text starts with {@code firstHexDigit}
     */
    static SessionId newIdStartingWith(char firstHexDigit) {
        return SessionId.parse(firstHexDigit + UUID.randomUUID().toString().substring(1));
    }

    /** @return {@link #RICH_JSON} as an object */
    static JsonValue.JsonObject richJson() {
        return (JsonValue.JsonObject) JsonValue.parse(RICH_JSON);
    }

    /**
     * @param transition a transition of the domain
     * @return the change that stores it, expecting the version it was decided on
     */
    static SessionChange changeOf(Transition transition) {
        return SessionChange.of(transition, transition.session().version() - transition.events().size());
    }

    /**
     * @param id     the session id
     * @param tenant its tenant
     * @param at     its creation time
     * @return a plain new session of owner {@code owner-1}
     */
    static Transition created(SessionId id, String tenant, Instant at) {
        return Session.create(id, tenant, "owner-1", null, null, null, at);
    }

    /**
     * A session that went through most of the table and holds a value in nearly every field: workflow, title, rich
     * input, phase, progress with a cost, answers, and a pause for clarification with open questions.
     *
     * @param id     the session id
     * @param tenant its tenant
     * @return its transitions in order; the last one's session is the rich state
     */
    static List<Transition> richJourney(SessionId id, String tenant) {
        List<Transition> steps = new ArrayList<>();
        steps.add(Session.create(id, tenant, "owner-ü", "research.v2", "Quarterly \"risk\"\nreview ✓", richJson(),
                at(0)));
        steps.add(last(steps).start(at(1)));
        steps.add(last(steps).changePhase(new Phase("identify_gaps"), PhaseOrder.ANY, at(2)));
        steps.add(last(steps).recordProgress(2, 40, new BigDecimal("0.0125"), at(3)));
        steps.add(last(steps).requestClarification(List.of(new Question("q1", "Which market?", true),
                new Question("q2", "Any deadline?", false)), at(4)));
        steps.add(last(steps).answerClarification(Map.of("q1", "EU and\nUK", "q2", "end of Q3"), at(5)));
        steps.add(last(steps).recordProgress(3, 75, new BigDecimal("1.2500"), at(6)));
        steps.add(last(steps).appendEvent("agent_thinking", richJson(), at(7)));
        steps.add(last(steps).requestClarification(List.of(new Question("q3", "Budget cap?", true),
                new Question("q4", "Preferred vendors?", false)), at(8)));
        return steps;
    }

    private static Session last(List<Transition> steps) {
        return steps.get(steps.size() - 1).session();
    }

    /**
     * Asserts that a session read back is the one written. Costs compare by value, not by scale: a store may keep
     * {@code 1.25} as {@code 1.250000}. Everything else must be equal.
     *
     * @param actual   what was read
     * @param expected what was written
     */
    static void assertSameSession(Session actual, Session expected) {
        assertThat(actual).as("session %s", expected.id()).isNotNull();
        assertThat(actual.progress().costUsd()).as("cost of session %s", expected.id())
                .isEqualByComparingTo(expected.progress().costUsd());
        Session withExpectedCost = new Session(actual.id(), actual.tenantId(), actual.ownerId(), actual.workflow(),
                actual.title(), actual.status(), actual.phase(), actual.pause(),
                actual.progress().round() == expected.progress().round()
                        && Objects.equals(actual.progress().percent(), expected.progress().percent())
                        ? expected.progress() : actual.progress(),
                actual.input(), actual.result(), actual.failure(), actual.answers(), actual.version(),
                actual.lastEventSeq(), actual.createdAt(), actual.updatedAt(), actual.startedAt(), actual.endedAt(),
                actual.lastHeartbeatAt());
        assertThat(withExpectedCost).as("session %s", expected.id()).isEqualTo(expected);
    }

    /**
     * @param actual   sessions read, in order
     * @param expected sessions written, in the order expected
     */
    static void assertSameSessions(List<Session> actual, List<Session> expected) {
        assertThat(actual).extracting(Session::id).containsExactlyElementsOf(
                expected.stream().map(Session::id).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertSameSession(actual.get(i), expected.get(i));
        }
    }
}
