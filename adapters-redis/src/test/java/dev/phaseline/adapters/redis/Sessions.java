package dev.phaseline.adapters.redis;

import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.PhaseOrder;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Sessions for the adapter's own tests. */
final class Sessions {

    static final Instant BASE = Instant.parse("2030-01-02T03:04:05.123456789Z");

    static final String RICH_JSON = """
            {"topic": "pricing", "rounds": 3, "ratio": 0.1, "negative": -2.50, "big": 12345678901234567890,
             "flags": {"clarify": true, "dryRun": false, "none": null},
             "tags": ["a", "ü", "😀", "line\\nbreak"],
             "nested": {"deep": {"list": [1, [2, 3], {"k": "v"}], "empty": {}, "none": []}},
             "text": "he said \\"hi\\"\\n\\ndata: injected \\\\ back"}""";

    private Sessions() {
    }

    static Instant at(long step) {
        return BASE.plus(Duration.ofNanos(step * 1_001_001L));
    }

    static SessionId newId() {
        return new SessionId(UUID.randomUUID());
    }

    static JsonValue.JsonObject richJson() {
        return (JsonValue.JsonObject) JsonValue.parse(RICH_JSON);
    }

    /** @return a session holding a value in nearly every field, paused for clarification */
    static Session rich() {
        Session s = Session.create(newId(), "tenant-ü", "owner-1", "research.v2", "Quarterly \"risk\"\nreview ✓",
                richJson(), at(0)).session();
        s = s.start(at(1)).session();
        s = s.changePhase(new Phase("identify_gaps"), PhaseOrder.ANY, at(2)).session();
        s = s.recordProgress(2, 40, new BigDecimal("0.0125"), at(3)).session();
        s = s.requestClarification(List.of(new Question("q1", "Which market?", true),
                new Question("q2", "Any deadline?", false)), at(4)).session();
        s = s.answerClarification(Map.of("q1", "EU and\nUK", "q2", "end of Q3"), at(5)).session();
        s = s.recordProgress(3, 75, new BigDecimal("1.2500"), at(6)).session();
        return s.requestClarification(List.of(new Question("q3", "Budget cap?", true)), at(7)).session();
    }

    /** @return versions 1..count of one new session */
    static List<Session> versions(int count) {
        List<Session> versions = new ArrayList<>();
        Session session = Session.create(newId(), "tenant-1", "owner-1", null, null, null, at(0)).session();
        versions.add(session);
        for (int version = 2; version <= count; version++) {
            session = version == 2 ? session.start(at(1)).session()
                    : session.appendEvent("agent_thinking", JsonValue.object(Map.of("v", JsonValue.of(version))),
                            at(version)).session();
            versions.add(session);
        }
        return versions;
    }
}
