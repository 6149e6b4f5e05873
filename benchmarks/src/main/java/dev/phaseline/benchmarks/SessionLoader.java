package dev.phaseline.benchmarks;

import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.PhaseOrder;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Fills {@code sessions} fast with COPY: every row is a session the domain built through its own transitions (so
 * every invariant holds), spread over tenants, owners, workflows and statuses, created over the last 90 days. The
 * rows carry no event rows: listing reads only {@code sessions}.
 */
final class SessionLoader {

    /** Tenants and their share of the sessions. */
    static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella");
    private static final double[] TENANT_SHARE = {0.5, 0.25, 0.15, 0.10};
    static final int OWNERS_PER_TENANT = 200;
    private static final List<String> WORKFLOWS = List.of("default", "research", "transcribe");

    private static final String COPY = "COPY sessions (id, tenant_id, owner_id, workflow, title, status, phase,"
            + " pause_reason, pause_since, pause_questions, progress_round, progress_percent, cost_usd, input,"
            + " result, failure_code, failure_message, answers, version, last_event_seq, created_at, updated_at,"
            + " started_at, ended_at, last_heartbeat_at) FROM STDIN WITH (FORMAT csv)";

    private SessionLoader() {
    }

    static String owner(int index) {
        return String.format("user-%03d", index);
    }

    /** @return the sessions loaded */
    static int load(BenchmarkDatabase database, int count, long seed) throws SQLException, IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long span = Duration.ofDays(90).toMillis() * 1000;
        try (Connection connection = database.connect()) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder batch = new StringBuilder(1 << 22);
            int inBatch = 0;
            for (int i = 0; i < count; i++) {
                String tenant = TENANTS.get(pick(random.nextDouble()));
                String owner = owner(random.nextInt(OWNERS_PER_TENANT));
                String workflow = WORKFLOWS.get(random.nextInt(WORKFLOWS.size()));
                Instant created = now.minus(random.nextLong(span), ChronoUnit.MICROS).minus(Duration.ofHours(1));
                Session session = build(random, tenant, owner, workflow, created, i);
                row(batch, session);
                if (++inBatch == 10_000) {
                    copy.copyIn(COPY, new StringReader(batch.toString()));
                    batch.setLength(0);
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                copy.copyIn(COPY, new StringReader(batch.toString()));
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM ANALYZE sessions");
            }
        }
        return count;
    }

    private static int pick(double r) {
        double sum = 0;
        for (int i = 0; i < TENANT_SHARE.length; i++) {
            sum += TENANT_SHARE[i];
            if (r < sum) {
                return i;
            }
        }
        return TENANT_SHARE.length - 1;
    }

    /** created 10 %, running 15 %, paused 5 %, completed 50 %, failed 10 %, killed 5 %, deleted 5 %. */
    private static Session build(SplittableRandom random, String tenant, String owner, String workflow,
            Instant created, int index) {
        Session s = Session.create(new SessionId(new UUID(random.nextLong(), random.nextLong())), tenant, owner,
                workflow, "session " + index, JsonValue.object(Map.of("prompt", JsonValue.of("item " + index))),
                created).session();
        int roll = random.nextInt(100);
        if (roll < 10) {
            return s;
        }
        Instant at = created.plusSeconds(1);
        s = s.start(at).session();
        s = s.changePhase(new Phase("work"), PhaseOrder.ANY, at = at.plusSeconds(5)).session();
        s = s.recordProgress(1, 40, new BigDecimal("0.12"), at = at.plusSeconds(5)).session();
        if (roll < 25) {
            return s;
        }
        if (roll < 30) {
            return s.requestClarification(List.of(new Question("q1", "Which region?", true)),
                    at.plusSeconds(5)).session();
        }
        if (roll < 80) {
            return s.complete(JsonValue.object(Map.of("ok", JsonValue.of(true))), at.plusSeconds(30)).session();
        }
        if (roll < 90) {
            return s.fail("worker_error", "the worker gave up", at.plusSeconds(30)).session();
        }
        if (roll < 95) {
            return s.kill(owner, "not needed", at.plusSeconds(30)).session();
        }
        s = s.complete(JsonValue.object(Map.of("ok", JsonValue.of(true))), at.plusSeconds(30)).session();
        return s.delete(owner, at.plusSeconds(60)).session();
    }

    private static void row(StringBuilder out, Session s) {
        field(out, s.id().value().toString(), true);
        field(out, s.tenantId(), false);
        field(out, s.ownerId(), false);
        field(out, s.workflow(), false);
        field(out, s.title(), false);
        field(out, s.status().wireName(), false);
        field(out, s.phase() == null ? null : s.phase().name(), false);
        field(out, s.pause() == null ? null : s.pause().reason().wireName(), false);
        field(out, s.pause() == null ? null : s.pause().since().toString(), false);
        field(out, s.pause() == null ? null : questions(s.pause().questions()), false);
        field(out, String.valueOf(s.progress().round()), false);
        field(out, s.progress().percent() == null ? null : s.progress().percent().toString(), false);
        field(out, s.progress().costUsd().toPlainString(), false);
        field(out, s.input().toJson(), false);
        field(out, s.result() == null ? null : s.result().toJson(), false);
        field(out, s.failure() == null ? null : s.failure().code(), false);
        field(out, s.failure() == null ? null : s.failure().message(), false);
        field(out, answers(s.answers()), false);
        field(out, String.valueOf(s.version()), false);
        field(out, String.valueOf(s.lastEventSeq()), false);
        field(out, s.createdAt().toString(), false);
        field(out, s.updatedAt().toString(), false);
        field(out, s.startedAt() == null ? null : s.startedAt().toString(), false);
        field(out, s.endedAt() == null ? null : s.endedAt().toString(), false);
        field(out, s.lastHeartbeatAt() == null ? null : s.lastHeartbeatAt().toString(), false);
        out.append('\n');
    }

    /** CSV: an unquoted empty field is NULL, every value is quoted with quotes doubled. */
    private static void field(StringBuilder out, String value, boolean first) {
        if (!first) {
            out.append(',');
        }
        if (value != null) {
            out.append('"').append(value.replace("\"", "\"\"")).append('"');
        }
    }

    /** The adapter's JSON shape for pause questions. */
    private static String questions(List<Question> questions) {
        return new JsonValue.JsonArray(questions.stream()
                .<JsonValue>map(q -> JsonValue.object(Map.of("id", JsonValue.of(q.id()),
                        "text", JsonValue.of(q.text()), "required", JsonValue.of(q.required()))))
                .toList()).toJson();
    }

    private static String answers(Map<String, String> answers) {
        Map<String, JsonValue> members = new TreeMap<>();
        answers.forEach((k, v) -> members.put(k, JsonValue.of(v)));
        return JsonValue.object(members).toJson();
    }
}
