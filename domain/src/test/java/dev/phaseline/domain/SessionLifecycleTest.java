package dev.phaseline.domain;

import static dev.phaseline.domain.SessionFixtures.ID;
import static dev.phaseline.domain.SessionFixtures.OWNER;
import static dev.phaseline.domain.SessionFixtures.QUESTIONS;
import static dev.phaseline.domain.SessionFixtures.T0;
import static dev.phaseline.domain.SessionFixtures.TENANT;
import static dev.phaseline.domain.SessionFixtures.after;
import static dev.phaseline.domain.SessionFixtures.rejectedAt;
import static dev.phaseline.domain.SessionFixtures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Specific behaviours of the session lifecycle, one per test. */
class SessionLifecycleTest {

    /** @return an object {@code {"v":"xxx…"}} of exactly {@code bytes} bytes as compact JSON */
    private static JsonValue.JsonObject objectOfSize(int bytes) {
        int overhead = "{\"v\":\"\"}".length();
        JsonValue.JsonObject value = JsonValue.object(Map.of("v", JsonValue.of("x".repeat(bytes - overhead))));
        assertThat(value.encodedSize()).isEqualTo(bytes);
        return value;
    }

    private static Session createWithTitle(String title) {
        return Session.create(ID, TENANT, OWNER, null, title, null, T0).session();
    }

    @Nested
    class Creation {

        @Test
        void a_new_session_is_created_at_version_one_with_its_creation_event() {
            Transition created = Session.create(ID, TENANT, OWNER, null, "Market report", null, T0);
            Session session = created.session();

            assertThat(session.status()).isEqualTo(SessionStatus.CREATED);
            assertThat(session.version()).isEqualTo(1);
            assertThat(session.lastEventSeq()).isEqualTo(1);
            assertThat(session.workflow()).isEqualTo("default");
            assertThat(session.input()).isEqualTo(JsonValue.EMPTY_OBJECT);
            assertThat(session.createdAt()).isEqualTo(T0);
            assertThat(session.startedAt()).isNull();
            assertThat(session.endedAt()).isNull();
            assertThat(session.lastHeartbeatAt()).isNull();
            assertThat(created.events()).singleElement().satisfies(event -> {
                assertThat(event).isInstanceOf(SessionEvent.Created.class);
                assertThat(event.type()).isEqualTo("session.created");
                assertThat(event.seq()).isEqualTo(1);
                assertThat(event.data().get("ownerId")).isEqualTo(JsonValue.of(OWNER));
            });
        }

        @Test
        void a_title_of_200_characters_is_accepted_and_one_of_201_is_rejected() {
            assertThat(createWithTitle("t".repeat(200)).title()).hasSize(200);
            rejectedAt("title", () -> createWithTitle("t".repeat(201)));
        }

        @Test
        void a_title_holding_a_nul_character_is_rejected() {
            rejectedAt("title", () -> createWithTitle("before\0after"));
        }

        @Test
        void an_input_of_256_kib_is_accepted_and_one_byte_more_is_rejected() {
            JsonValue.JsonObject largest = objectOfSize(256 * 1024);
            JsonValue.JsonObject tooLarge = objectOfSize(256 * 1024 + 1);

            assertThat(Session.create(ID, TENANT, OWNER, null, null, largest, T0).session().input())
                    .isEqualTo(largest);
            rejectedAt("input", () -> Session.create(ID, TENANT, OWNER, null, null, tooLarge, T0));
        }

        @Test
        void an_input_is_measured_in_utf8_bytes_not_characters() {
            // 100,000 three-byte characters: under 256 Ki characters, over 256 KiB.
            JsonValue.JsonObject input = JsonValue.object(Map.of("v", JsonValue.of("€".repeat(100_000))));

            rejectedAt("input", () -> Session.create(ID, TENANT, OWNER, null, null, input, T0));
        }

        @Test
        void a_blank_tenant_or_owner_is_rejected() {
            rejectedAt("tenantId", () -> Session.create(ID, " ", OWNER, null, null, null, T0));
            rejectedAt("ownerId", () -> Session.create(ID, TENANT, "", null, null, null, T0));
        }
    }

    @Nested
    class PausedForClarification {

        @Test
        void complete_is_illegal_while_paused_for_clarification() {
            Session paused = SessionFixtures.pausedForClarification();

            IllegalTransitionException error = thrownBy(IllegalTransitionException.class,
                    () -> paused.complete(JsonValue.EMPTY_OBJECT, after(paused)));

            assertThat(error.code()).isEqualTo("illegal_transition");
            assertThat(error.currentStatus()).isEqualTo(SessionStatus.PAUSED);
            assertThat(error.attempted()).isEqualTo(Command.COMPLETE);
            assertThat(error.allowed()).doesNotContain(Command.COMPLETE).contains(Command.ANSWER_CLARIFICATION);
            assertThat(paused.status()).isEqualTo(SessionStatus.PAUSED);
            assertThat(paused.pause().reason()).isEqualTo(PauseReason.CLARIFICATION_NEEDED);
            assertThat(paused.pause().questions()).isEqualTo(QUESTIONS);
            assertThat(paused.result()).isNull();
            assertThat(paused.endedAt()).isNull();
        }

        @Test
        void complete_is_illegal_while_paused_on_request() {
            Session paused = SessionFixtures.pausedOnRequest();

            IllegalTransitionException error = thrownBy(IllegalTransitionException.class,
                    () -> paused.complete(null, after(paused)));

            assertThat(error.currentStatus()).isEqualTo(SessionStatus.PAUSED);
            assertThat(error.attempted()).isEqualTo(Command.COMPLETE);
        }

        @Test
        void resume_is_refused_with_answers_required_while_paused_for_clarification() {
            Session paused = SessionFixtures.pausedForClarification();

            AnswersRequiredException error = thrownBy(AnswersRequiredException.class,
                    () -> paused.resume(after(paused)));

            assertThat(error.code()).isEqualTo("answers_required");
        }

        @Test
        void answers_naming_questions_that_are_not_open_are_rejected_and_nothing_is_stored() {
            Session paused = SessionFixtures.pausedForClarification();
            Map<String, String> answers = Map.of("q1", "Europe", "zeta", "?", "alpha", "!");

            ValidationException error = rejectedAt("answers",
                    () -> paused.answerClarification(answers, after(paused)));

            assertThat(error.unknown()).containsExactly("alpha", "zeta");
            assertThat(paused.answers()).isEmpty();
            assertThat(paused.state()).isEqualTo(LifecycleState.PAUSED_FOR_CLARIFICATION);
        }

        @Test
        void answers_to_questions_of_an_earlier_clarification_are_not_open_any_more() {
            Session first = SessionFixtures.pausedForClarification();
            Session running = first.answerClarification(Map.of("q1", "Europe"), after(first)).session();
            Session second = running.requestClarification(List.of(new Question("q3", "Budget?", true)),
                    after(running)).session();

            ValidationException error = rejectedAt("answers",
                    () -> second.answerClarification(Map.of("q1", "Asia", "q3", "10k"), after(second)));

            assertThat(error.unknown()).containsExactly("q1");
        }

        @Test
        void answers_that_leave_a_required_question_unanswered_are_rejected_with_its_id() {
            List<Question> questions = List.of(new Question("q1", "Market?", true),
                    new Question("q2", "Tone?", false), new Question("q3", "Deadline?", true));
            Session paused = SessionFixtures.pausedForClarification(questions);

            AnswersMissingException error = thrownBy(AnswersMissingException.class,
                    () -> paused.answerClarification(Map.of("q2", "formal"), after(paused)));

            assertThat(error.code()).isEqualTo("answers_missing");
            assertThat(error.missing()).containsExactly("q1", "q3");
            assertThat(paused.answers()).isEmpty();
        }

        @Test
        void a_blank_answer_does_not_answer_a_required_question() {
            Session paused = SessionFixtures.pausedForClarification();

            AnswersMissingException error = thrownBy(AnswersMissingException.class,
                    () -> paused.answerClarification(Map.of("q1", "   "), after(paused)));

            assertThat(error.missing()).containsExactly("q1");
        }

        @Test
        void optional_questions_may_stay_unanswered() {
            Session paused = SessionFixtures.pausedForClarification();

            Transition answered = paused.answerClarification(Map.of("q1", "Europe"), after(paused));

            assertThat(answered.session().status()).isEqualTo(SessionStatus.RUNNING);
            assertThat(answered.session().answers()).containsExactly(Map.entry("q1", "Europe"));
        }

        @Test
        void full_answers_resume_the_session_and_are_stored() {
            Session paused = SessionFixtures.pausedForClarification();
            Instant at = after(paused);

            Transition answered = paused.answerClarification(Map.of("q1", "Europe", "q2", "Acme Corp"), at);

            Session session = answered.session();
            assertThat(session.status()).isEqualTo(SessionStatus.RUNNING);
            assertThat(session.pause()).isNull();
            assertThat(session.answers()).isEqualTo(Map.of("q1", "Europe", "q2", "Acme Corp"));
            assertThat(session.lastHeartbeatAt()).isEqualTo(at);
            assertThat(answered.events()).singleElement()
                    .isInstanceOfSatisfying(SessionEvent.ClarificationAnswered.class, event -> {
                        assertThat(event.answers()).isEqualTo(Map.of("q1", "Europe", "q2", "Acme Corp"));
                        assertThat(event.data().toJson())
                                .isEqualTo("{\"answers\":{\"q1\":\"Europe\",\"q2\":\"Acme Corp\"}}");
                    });
        }

        @Test
        void answers_of_successive_clarifications_accumulate() {
            Session first = SessionFixtures.pausedForClarification();
            Session running = first.answerClarification(Map.of("q1", "Europe"), after(first)).session();
            Session second = running.requestClarification(List.of(new Question("q3", "Budget?", true)),
                    after(running)).session();

            Session answered = second.answerClarification(Map.of("q3", "10k"), after(second)).session();

            assertThat(answered.answers()).isEqualTo(Map.of("q1", "Europe", "q3", "10k"));
        }

        @Test
        void an_answer_longer_than_10000_characters_is_rejected() {
            Session paused = SessionFixtures.pausedForClarification();

            rejectedAt("answers.q1",
                    () -> paused.answerClarification(Map.of("q1", "a".repeat(10_001)), after(paused)));
        }
    }

    @Nested
    class Questions {

        private static List<Question> questions(int count) {
            List<Question> questions = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                questions.add(new Question("q" + i, "Question " + i + "?", i % 2 == 0));
            }
            return questions;
        }

        @Test
        void a_clarification_request_without_questions_is_rejected() {
            Session running = SessionFixtures.running();

            rejectedAt("questions", () -> running.requestClarification(List.of(), after(running)));
        }

        @Test
        void a_clarification_request_may_ask_20_questions_but_not_21() {
            Session running = SessionFixtures.running();

            assertThat(running.requestClarification(questions(20), after(running)).session().pause().questions())
                    .hasSize(20);
            rejectedAt("questions", () -> running.requestClarification(questions(21), after(running)));
        }

        @Test
        void a_clarification_request_with_a_repeated_question_id_is_rejected() {
            Session running = SessionFixtures.running();
            List<Question> repeated = List.of(new Question("q1", "A?", true), new Question("q2", "B?", true),
                    new Question("q1", "C?", false));

            rejectedAt("questions[2].id", () -> running.requestClarification(repeated, after(running)));
        }

        @Test
        void a_question_id_outside_the_allowed_characters_is_rejected() {
            rejectedAt("id", () -> new Question("q 1", "A?", true));
            rejectedAt("text", () -> new Question("q1", " ", true));
        }
    }

    @Nested
    class VersionAndSequence {

        @Test
        void version_equals_last_event_seq_and_grows_by_one_per_event() {
            List<Function<Session, Transition>> steps = List.of(
                    s -> s.start(after(s)),
                    s -> s.changePhase(new Phase("research"), PhaseOrder.ANY, after(s)),
                    s -> s.recordProgress(1, 10, null, after(s)),
                    s -> s.appendEvent("agent_started", null, after(s)),
                    s -> s.pause(null, after(s)),
                    s -> s.appendEvent("agent_thinking", null, after(s)),
                    s -> s.resume(after(s)),
                    s -> s.requestClarification(QUESTIONS, after(s)),
                    s -> s.answerClarification(Map.of("q1", "yes"), after(s)),
                    s -> s.complete(null, after(s)));
            Session session = SessionFixtures.created();
            long expectedSeq = 1;

            for (Function<Session, Transition> step : steps) {
                Transition transition = step.apply(session);
                expectedSeq++;
                assertThat(transition.events()).singleElement()
                        .extracting(SessionEvent::seq).isEqualTo(expectedSeq);
                session = transition.session();
                assertThat(session.version()).isEqualTo(expectedSeq);
                assertThat(session.lastEventSeq()).isEqualTo(expectedSeq);
            }
            assertThat(session.version()).isEqualTo(11);
        }

        @Test
        void deleting_an_active_session_adds_two_events_and_two_versions() {
            Session running = SessionFixtures.running();

            Transition deleted = running.delete(OWNER, after(running));

            assertThat(deleted.events()).extracting(SessionEvent::seq).containsExactly(3L, 4L);
            assertThat(deleted.events().get(0)).isInstanceOfSatisfying(SessionEvent.Killed.class,
                    killed -> assertThat(killed.by()).isEqualTo(OWNER));
            assertThat(deleted.session().version()).isEqualTo(4);
        }

        @Test
        void a_heartbeat_moves_only_last_heartbeat_at() {
            Session running = SessionFixtures.running();
            Instant at = after(running);

            Session beat = running.heartbeat(at);

            assertThat(beat.lastHeartbeatAt()).isEqualTo(at);
            assertThat(beat.version()).isEqualTo(running.version());
            assertThat(beat.updatedAt()).isEqualTo(running.updatedAt());
            assertThat(beat).usingRecursiveComparison().ignoringFields("lastHeartbeatAt").isEqualTo(running);
        }
    }

    @Nested
    class Ending {

        @Test
        void ended_at_is_absent_while_active_and_set_by_every_ending() {
            assertThat(SessionFixtures.created().endedAt()).isNull();
            assertThat(SessionFixtures.running().endedAt()).isNull();
            assertThat(SessionFixtures.pausedForClarification().endedAt()).isNull();
            assertThat(SessionFixtures.pausedOnRequest().endedAt()).isNull();

            Session running = SessionFixtures.running();
            Instant at = after(running);
            assertThat(running.complete(null, at).session().endedAt()).isEqualTo(at);
            assertThat(running.fail("boom", null, at).session().endedAt()).isEqualTo(at);
            assertThat(running.kill("bob", null, at).session().endedAt()).isEqualTo(at);
            assertThat(running.delete("bob", at).session().endedAt()).isEqualTo(at);
        }

        @Test
        void deleting_a_completed_session_keeps_its_result_and_end_time() {
            Session completed = SessionFixtures.completed();
            Instant at = after(completed).plusSeconds(3600);

            Transition deleted = completed.delete(OWNER, at);

            Session session = deleted.session();
            assertThat(session.status()).isEqualTo(SessionStatus.DELETED);
            assertThat(session.endedAt()).isEqualTo(completed.endedAt()).isNotEqualTo(at);
            assertThat(session.result()).isEqualTo(completed.result()).isNotNull();
            assertThat(session.updatedAt()).isEqualTo(at);
            assertThat(deleted.events()).extracting(SessionEvent::type).containsExactly("session.deleted");
            assertThat(session).usingRecursiveComparison()
                    .ignoringFields("status", "version", "lastEventSeq", "updatedAt").isEqualTo(completed);
        }

        @Test
        void deleting_a_failed_session_keeps_its_failure() {
            Session failed = SessionFixtures.failed();

            Session deleted = failed.delete(OWNER, after(failed)).session();

            assertThat(deleted.failure()).isEqualTo(new Failure("worker_lost", "no heartbeat"));
            assertThat(deleted.endedAt()).isEqualTo(failed.endedAt());
        }

        @Test
        void a_deleted_session_allows_nothing_not_even_delete() {
            Session deleted = SessionFixtures.deleted();

            IllegalTransitionException error = thrownBy(IllegalTransitionException.class,
                    () -> deleted.delete(OWNER, after(deleted)));

            assertThat(error.currentStatus()).isEqualTo(SessionStatus.DELETED);
            assertThat(error.allowed()).isEmpty();
        }

        @Test
        void failing_a_paused_session_clears_its_pause_and_records_the_failure() {
            Session paused = SessionFixtures.pausedForClarification();

            Session failed = paused.fail("timeout", "nobody answered", after(paused)).session();

            assertThat(failed.pause()).isNull();
            assertThat(failed.failure()).isEqualTo(new Failure("timeout", "nobody answered"));
        }

        @Test
        void a_failure_code_outside_the_pattern_is_rejected() {
            Session running = SessionFixtures.running();

            rejectedAt("code", () -> running.fail("Tool Error", null, after(running)));
        }

        @Test
        void a_result_over_256_kib_is_rejected() {
            Session running = SessionFixtures.running();
            JsonValue.JsonObject tooLarge = objectOfSize(256 * 1024 + 1);

            rejectedAt("result", () -> running.complete(tooLarge, after(running)));
        }
    }

    @Nested
    class Phases {

        private final Phase decomposition = new Phase("decomposition");
        private final Phase gaps = new Phase("identify_gaps");
        private final Phase personas = new Phase("persona_selection");
        private final Phase synthesis = new Phase("synthesis");
        private final PhaseOrder order = PhaseOrder.of(decomposition, gaps, personas, synthesis);

        private Session runningIn(Phase phase) {
            Session running = SessionFixtures.running();
            return running.changePhase(phase, order, after(running)).session();
        }

        private void assertViolation(Session session, Phase to) {
            PhaseOrderViolationException error = thrownBy(PhaseOrderViolationException.class,
                    () -> session.changePhase(to, order, after(session)));
            assertThat(error).isInstanceOf(IllegalTransitionException.class);
            assertThat(error.code()).isEqualTo("illegal_transition");
            assertThat(error.attempted()).isEqualTo(Command.CHANGE_PHASE);
            assertThat(error.currentStatus()).isEqualTo(SessionStatus.RUNNING);
            assertThat(error.getMessage()).contains(to.name());
        }

        @Test
        void moving_forward_to_the_next_declared_phase_is_allowed() {
            Session inGaps = runningIn(decomposition).changePhase(gaps, order, T0.plusSeconds(60)).session();

            assertThat(inGaps.phase()).isEqualTo(gaps);
        }

        @Test
        void the_change_event_names_the_previous_and_the_new_phase() {
            Session inDecomposition = runningIn(decomposition);

            Transition changed = inDecomposition.changePhase(personas, order, after(inDecomposition));

            assertThat(changed.events()).singleElement().isInstanceOfSatisfying(SessionEvent.PhaseChanged.class,
                    event -> {
                        assertThat(event.from()).isEqualTo(decomposition);
                        assertThat(event.to()).isEqualTo(personas);
                    });
        }

        @Test
        void skipping_declared_phases_is_allowed() {
            Session running = SessionFixtures.running();

            Session inPersonas = running.changePhase(personas, order, after(running)).session();

            assertThat(inPersonas.phase()).isEqualTo(personas);
            assertThat(runningIn(gaps).changePhase(synthesis, order, T0.plusSeconds(60)).session().phase())
                    .isEqualTo(synthesis);
        }

        @Test
        void moving_back_to_an_earlier_phase_is_rejected() {
            Session inPersonas = runningIn(personas);

            assertViolation(inPersonas, gaps);
            assertThat(inPersonas.phase()).isEqualTo(personas);
        }

        @Test
        void repeating_the_current_phase_is_rejected() {
            assertViolation(runningIn(gaps), gaps);
        }

        @Test
        void a_phase_the_order_does_not_declare_is_rejected() {
            assertViolation(SessionFixtures.running(), new Phase("deliberation"));
            assertViolation(runningIn(decomposition), new Phase("deliberation"));
        }

        @Test
        void without_a_declared_order_any_phase_may_follow_any_other() {
            Session running = SessionFixtures.running();
            Session inSynthesis = running.changePhase(synthesis, PhaseOrder.ANY, after(running)).session();
            Session back = inSynthesis.changePhase(decomposition, PhaseOrder.ANY, after(inSynthesis)).session();
            Session again = back.changePhase(decomposition, PhaseOrder.ANY, after(back)).session();

            assertThat(again.phase()).isEqualTo(decomposition);
            assertThat(again.version()).isEqualTo(5);
        }

        @Test
        void a_phase_name_outside_the_pattern_is_rejected() {
            rejectedAt("phase", () -> new Phase("Deliberation"));
            rejectedAt("phase", () -> new Phase("a".repeat(65)));
            assertThat(new Phase("a".repeat(64)).name()).hasSize(64);
        }
    }

    @Nested
    class CustomEvents {

        private Transition append(String type, JsonValue.JsonObject data) {
            Session running = SessionFixtures.running();
            return running.appendEvent(type, data, after(running));
        }

        @Test
        void a_custom_event_keeps_the_status_and_carries_its_type_and_data() {
            JsonValue.JsonObject data = JsonValue.object(Map.of("agent", JsonValue.of("critic")));

            Transition appended = append("agent_thinking", data);

            assertThat(appended.session().status()).isEqualTo(SessionStatus.RUNNING);
            assertThat(appended.events()).singleElement().satisfies(event -> {
                assertThat(event.type()).isEqualTo("agent_thinking");
                assertThat(event.data()).isEqualTo(data);
            });
        }

        @Test
        void a_custom_event_may_be_appended_while_paused() {
            Session paused = SessionFixtures.pausedOnRequest();

            Session after = paused.appendEvent("tool.completed", null, after(paused)).session();

            assertThat(after.state()).isEqualTo(LifecycleState.PAUSED_ON_REQUEST);
            assertThat(after.version()).isEqualTo(paused.version() + 1);
        }

        @Test
        void a_type_in_the_reserved_session_namespace_is_rejected() {
            rejectedAt("type", () -> append("session.x", null));
            rejectedAt("type", () -> append("session.completed", null));
        }

        @Test
        void the_type_end_is_rejected() {
            rejectedAt("type", () -> append("end", null));
            assertThat(append("end_of_round", null).events().get(0).type()).isEqualTo("end_of_round");
        }

        @Test
        void an_upper_case_type_is_rejected() {
            rejectedAt("type", () -> append("Agent_thinking", null));
            rejectedAt("type", () -> append("agentThinking", null));
        }

        @Test
        void a_type_of_64_characters_is_accepted_and_one_of_65_is_rejected() {
            assertThat(append("a".repeat(64), null).events().get(0).type()).hasSize(64);
            rejectedAt("type", () -> append("a".repeat(65), null));
        }

        @Test
        void event_data_of_64_kib_is_accepted_and_one_byte_more_is_rejected() {
            JsonValue.JsonObject largest = objectOfSize(64 * 1024);
            JsonValue.JsonObject tooLarge = objectOfSize(64 * 1024 + 1);

            assertThat(append("agent_thinking", largest).events().get(0).data()).isEqualTo(largest);
            rejectedAt("data", () -> append("agent_thinking", tooLarge));
        }
    }

    @Nested
    class ProgressReports {

        @Test
        void a_percentage_of_100_is_accepted_and_101_is_rejected() {
            Session running = SessionFixtures.running();

            assertThat(running.recordProgress(null, 100, null, after(running)).session().progress().percent())
                    .isEqualTo(100);
            rejectedAt("percent", () -> running.recordProgress(null, 101, null, after(running)));
        }

        @Test
        void a_negative_percentage_or_round_is_rejected() {
            Session running = SessionFixtures.running();

            rejectedAt("percent", () -> running.recordProgress(null, -1, null, after(running)));
            rejectedAt("round", () -> running.recordProgress(-1, null, null, after(running)));
        }

        @Test
        void a_negative_cost_delta_is_rejected() {
            Session running = SessionFixtures.running();

            rejectedAt("costUsdDelta",
                    () -> running.recordProgress(null, null, new BigDecimal("-0.01"), after(running)));
        }

        @Test
        void cost_accumulates_exactly_in_decimal() {
            Session session = SessionFixtures.running();
            for (int i = 0; i < 10; i++) {
                session = session.recordProgress(null, null, new BigDecimal("0.1"), after(session)).session();
            }
            // Adding 0.1 ten times in double arithmetic gives 0.9999999999999999.
            assertThat(session.progress().costUsd()).isEqualByComparingTo("1");

            session = session.recordProgress(null, null, new BigDecimal("0.05"), after(session)).session();
            assertThat(session.progress().costUsd()).isEqualByComparingTo("1.05");
        }

        @Test
        void omitted_values_keep_the_previous_round_and_percentage() {
            Session running = SessionFixtures.running();
            Session first = running.recordProgress(2, 40, new BigDecimal("1.50"), after(running)).session();

            Transition second = first.recordProgress(null, null, new BigDecimal("0.25"), after(first));

            Progress progress = second.session().progress();
            assertThat(progress.round()).isEqualTo(2);
            assertThat(progress.percent()).isEqualTo(40);
            assertThat(progress.costUsd()).isEqualByComparingTo("1.75");
            assertThat(second.events().get(0)).isInstanceOfSatisfying(SessionEvent.ProgressRecorded.class,
                    event -> assertThat(event.costUsdDelta()).isEqualByComparingTo("0.25"));
        }
    }

    @Nested
    class Heartbeats {

        @Test
        void last_heartbeat_at_is_absent_until_start_and_set_by_start() {
            Session created = SessionFixtures.created();
            Instant at = after(created);

            assertThat(created.lastHeartbeatAt()).isNull();
            assertThat(created.start(at).session().lastHeartbeatAt()).isEqualTo(at);
        }

        @Test
        void a_heartbeat_moves_last_heartbeat_at() {
            Session running = SessionFixtures.running();
            Instant first = after(running);
            Instant second = first.plusSeconds(30);

            assertThat(running.heartbeat(first).heartbeat(second).lastHeartbeatAt()).isEqualTo(second);
        }

        @Test
        void worker_commands_on_a_running_session_count_as_heartbeats() {
            Session running = SessionFixtures.running();
            Instant at = running.lastHeartbeatAt().plusSeconds(90);
            Map<String, Session> afterCommand = new LinkedHashMap<>();
            afterCommand.put("changePhase", running.changePhase(new Phase("research"), PhaseOrder.ANY, at).session());
            afterCommand.put("recordProgress", running.recordProgress(1, null, null, at).session());
            afterCommand.put("appendEvent", running.appendEvent("agent_thinking", null, at).session());

            assertThat(afterCommand).allSatisfy((command, session) ->
                    assertThat(session.lastHeartbeatAt()).as(command).isEqualTo(at));
        }

        @Test
        void an_event_appended_while_paused_is_no_heartbeat() {
            Session paused = SessionFixtures.pausedOnRequest();

            Session after = paused.appendEvent("agent_thinking", null, after(paused)).session();

            assertThat(after.lastHeartbeatAt()).isEqualTo(paused.lastHeartbeatAt());
        }

        @Test
        void resuming_restarts_the_heartbeat_clock() {
            Session paused = SessionFixtures.pausedOnRequest();
            Instant at = after(paused).plusSeconds(600);

            assertThat(paused.resume(at).session().lastHeartbeatAt()).isEqualTo(at);
        }
    }

    @Test
    void kill_needs_an_actor_and_records_who_killed() {
        Session running = SessionFixtures.running();

        rejectedAt("by", () -> running.kill(" ", null, after(running)));
        Transition killed = running.kill("bob", "runaway cost", after(running));
        assertThat(killed.events()).singleElement().isInstanceOfSatisfying(SessionEvent.Killed.class, event -> {
            assertThat(event.by()).isEqualTo("bob");
            assertThat(event.reason()).isEqualTo("runaway cost");
        });
    }
}
