package dev.phaseline.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Builds real sessions through the public commands only, so every fixture is a state the lifecycle can reach.
 * Each command happens one second after the session's latest change.
 */
final class SessionFixtures {

    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    static final SessionId ID = SessionId.parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    static final String TENANT = "acme";
    static final String OWNER = "alice";

    /** The questions {@link #pausedForClarification()} asks: {@code q1} is required, {@code q2} is optional. */
    static final List<Question> QUESTIONS = List.of(
            new Question("q1", "Which market should the report cover?", true),
            new Question("q2", "Any competitor to leave out?", false));

    private SessionFixtures() {
    }

    static Session created() {
        return Session.create(ID, TENANT, OWNER, null, "Market report", null, T0).session();
    }

    static Session running() {
        Session created = created();
        return created.start(after(created)).session();
    }

    static Session pausedForClarification() {
        return pausedForClarification(QUESTIONS);
    }

    static Session pausedForClarification(List<Question> questions) {
        Session running = running();
        return running.requestClarification(questions, after(running)).session();
    }

    static Session pausedOnRequest() {
        Session running = running();
        return running.pause("coffee break", after(running)).session();
    }

    static Session completed() {
        Session running = running();
        return running.complete(JsonValue.object(Map.of("answer", JsonValue.of(42))), after(running))
                .session();
    }

    static Session failed() {
        Session created = created();
        return created.fail("worker_lost", "no heartbeat", after(created)).session();
    }

    static Session killed() {
        Session created = created();
        return created.kill("bob", "not needed", after(created)).session();
    }

    static Session deleted() {
        Session created = created();
        return created.delete(OWNER, after(created)).session();
    }

    /**
     * @param state a row of the transition table
     * @return a session in that state, reached by legal commands from {@link Session#create}
     */
    static Session inState(LifecycleState state) {
        return switch (state) {
            case CREATED -> created();
            case RUNNING -> running();
            case PAUSED_FOR_CLARIFICATION -> pausedForClarification();
            case PAUSED_ON_REQUEST -> pausedOnRequest();
            case COMPLETED -> completed();
            case FAILED -> failed();
            case KILLED -> killed();
            case DELETED -> deleted();
        };
    }

    /** @return one second after the session's latest change (or heartbeat, whichever is later) */
    static Instant after(Session session) {
        Instant latest = session.updatedAt();
        if (session.lastHeartbeatAt() != null && session.lastHeartbeatAt().isAfter(latest)) {
            latest = session.lastHeartbeatAt();
        }
        return latest.plusSeconds(1);
    }

    /**
     * @param type the exception type expected
     * @param call the code that should throw it
     * @return the exception thrown, asserted to be of that type
     */
    static <T extends Throwable> T thrownBy(Class<T> type, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("exception thrown").isInstanceOf(type);
        return type.cast(thrown);
    }

    /**
     * @param path the field path the error must name
     * @param call the code that should be refused
     * @return the validation error, asserted to name exactly that path
     */
    static ValidationException rejectedAt(String path, ThrowingCallable call) {
        ValidationException error = thrownBy(ValidationException.class, call);
        assertThat(error.code()).isEqualTo("validation_failed");
        assertThat(error.errors()).extracting(ValidationException.FieldError::path).containsExactly(path);
        return error;
    }
}
