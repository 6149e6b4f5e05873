package dev.phaseline.benchmarks;

import dev.phaseline.adapters.http.HttpApi;
import dev.phaseline.adapters.http.HttpSettings;
import dev.phaseline.adapters.http.MicrometerApplicationMetrics;
import dev.phaseline.adapters.http.TokenIssuer;
import dev.phaseline.adapters.postgres.PostgresAdapter;
import dev.phaseline.adapters.postgres.PostgresSettings;
import dev.phaseline.application.CreateSession;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.domain.SessionId;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One Phaseline server the way an embedder runs it: embedded PostgreSQL (or {@code PHASELINE_BENCH_DB_URL}), the
 * PostgreSQL adapter, the core with its in-process cache and bus, and a Javalin server with Phaseline's routes
 * mounted through {@link HttpApi#mount} next to the embedder's own trivial JSON route {@code GET /bench/trivial}.
 */
final class BenchServer implements AutoCloseable {

    static final String TENANT = "bench";
    static final Principal OWNER = Principal.of("bench-owner", TENANT, Role.USER);
    static final Principal WORKER = Principal.of("bench-worker", TENANT, Role.WORKER);
    static final String TRIVIAL_PATH = "/bench/trivial";
    static final byte[] SECRET = "phaseline-benchmark-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    /** The trivial route's body: {@code {"hello":"world","n":42,"ok":true}}. */
    record Hello(String hello, int n, boolean ok) {
    }

    final BenchmarkDatabase database;
    final PostgresAdapter postgres;
    final PrometheusMeterRegistry registry;
    final PhaselineCore core;
    final HttpApi api;
    final Javalin app;
    final TokenIssuer tokens = new TokenIssuer(SECRET);

    private BenchServer(BenchmarkDatabase database, PostgresAdapter postgres, PrometheusMeterRegistry registry,
            PhaselineCore core, HttpApi api, Javalin app) {
        this.database = database;
        this.postgres = postgres;
        this.registry = registry;
        this.core = core;
        this.api = api;
        this.app = app;
    }

    /**
     * @param poolSize connections of the adapter's pool
     * @param settings adjusts the HTTP settings (identity for the defaults)
     */
    static BenchServer start(int poolSize, UnaryOperator<HttpSettings> settings) {
        BenchmarkDatabase database = BenchmarkDatabase.open();
        PostgresAdapter postgres = PostgresAdapter.start(PostgresSettings.of(database.jdbcUrl(), database.user(),
                database.password()).withPoolSize(poolSize));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PhaselineCore core = PhaselineCore.builder().store(postgres.sessionStore()).eventLog(postgres.eventLog())
                .metrics(new MicrometerApplicationMetrics(registry)).build();
        HttpApi api = new HttpApi(core, settings.apply(HttpSettings.of(SECRET)), registry);
        Hello hello = new Hello("world", 42, true);
        Javalin app = Javalin.create(cfg -> {
            HttpApi.configureServer(cfg, poolSize);
            api.mount(cfg);
            cfg.routes.get(TRIVIAL_PATH, ctx -> ctx.json(hello));
        }).start("127.0.0.1", 0);
        return new BenchServer(database, postgres, registry, core, api, app);
    }

    int port() {
        return app.port();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** @return a bearer token (without the "Bearer " prefix) for the principal */
    String token(Principal principal) {
        return token(tokens, principal);
    }

    /** @return sessions created and started by the owner through the application API */
    List<SessionId> runningSessions(int count, String title) {
        return runningSessions(core, OWNER, count, title);
    }

    /** @return a bearer token (without the "Bearer " prefix) for the principal, valid for 12 hours */
    static String token(TokenIssuer tokens, Principal principal) {
        return tokens.issue(principal.userId(), principal.tenantId(),
                principal.roles().stream().map(Role::wireName).toList(), Duration.ofHours(12));
    }

    /** @return sessions created and started by the owner through the application API */
    static List<SessionId> runningSessions(PhaselineCore core, Principal owner, int count, String title) {
        List<SessionId> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SessionId id = core.commands().create(owner, new CreateSession("bench", title + " " + i, null))
                    .session().id();
            core.commands().execute(owner, id, new SessionCommand.Start());
            ids.add(id);
        }
        return ids;
    }

    /** @return the value of a gauge of the registry, or -1 */
    double gauge(String name) {
        var gauge = registry.find(name).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    @Override
    public void close() {
        try {
            api.close();
            app.stop();
        } finally {
            try {
                core.close();
            } catch (Exception e) {
                Bench.progress("closing the core: " + e);
            }
            postgres.close();
            database.close();
        }
    }
}
