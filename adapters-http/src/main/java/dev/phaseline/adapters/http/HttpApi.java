package dev.phaseline.adapters.http;

import static dev.phaseline.adapters.http.Route.Parameter.header;
import static dev.phaseline.adapters.http.Route.Parameter.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phaseline.application.CommandResult;
import dev.phaseline.application.EventPage;
import dev.phaseline.application.ListSessions;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.application.SessionCommands;
import dev.phaseline.application.SessionPage;
import dev.phaseline.application.SessionQueries;
import dev.phaseline.application.SessionSubscriptions;
import dev.phaseline.application.Subscription;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Phaseline HTTP API: REST and Server-Sent Events on Javalin, exactly as the HTTP API contract describes.
 *
 * <p>Either mount it into an embedder's Javalin configuration:
 *
 * <pre>{@code
 * HttpApi api = new HttpApi(core, HttpSettings.of(secret), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
 * Javalin app = Javalin.create(cfg -> api.mount(cfg)).start(7070);
 * // ... on shutdown: api.close(); app.stop();
 * }</pre>
 *
 * <p>or let it run its own server with {@link #start(String, int)} and {@link #stop()}.
 *
 * <p>Mounting registers the routes of the contract, a before-handler for CORS, an after-handler for request
 * metrics, and exception handlers for {@link Exception} and Javalin's {@link HttpResponseException}: every error,
 * also of the embedder's own routes, becomes an RFC 9457 problem (an {@code HttpResponseException} with status 400,
 * 401, 403, 404, 413, 415 or 503 keeps it, with that status's code and a detail of this adapter's; any other failure
 * is a 500 {@code internal_error}, logged, its message never sent). The route table is also the source of
 * {@code /openapi.json}. Authorization is the application's: this adapter authenticates and maps errors.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String JSON = "application/json";
    private static final String ROUTE_ATTRIBUTE = "phaseline.route";
    private static final String START_ATTRIBUTE = "phaseline.start";
    private static final List<String> READINESS_CHECKS = List.of("postgres", "redis", "migrations");
    /** Jetty's per-response output buffer of the standalone server, in bytes (Jetty's default is 32 KiB). */
    static final int OUTPUT_BUFFER_SIZE = 8 * 1024;
    /** Store connections assumed by {@link #start(String, int)}: the default pool size of the product. */
    static final int DEFAULT_STORE_CONNECTIONS = 10;

    private final SessionCommands commands;
    private final SessionQueries queries;
    private final SessionSubscriptions subscriptions;
    private final HttpSettings settings;
    private final PrometheusMeterRegistry registry;
    private final TokenVerifier tokens;
    private final Cors cors;
    private final SseStreams streams;
    private final List<Route> routes;
    private final byte[] openApi;
    /** Request timers by method, route and status: a map lookup per request instead of a registration. */
    private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private Javalin server;

    private static final int MAX_REQUEST_TIMERS = 1024;

    private record RequestKey(String method, String route, int status) {
    }

    /**
     * @param core     the application
     * @param settings the adapter's settings
     * @param registry where request and stream metrics go, and what {@code /metrics} scrapes
     */
    public HttpApi(PhaselineCore core, HttpSettings settings, PrometheusMeterRegistry registry) {
        this(core.commands(), core.queries(), core.subscriptions(), settings, registry);
    }

    /**
     * @param commands      the application's commands
     * @param queries       the application's queries
     * @param subscriptions the application's subscriptions
     * @param settings      the adapter's settings
     * @param registry      where request and stream metrics go, and what {@code /metrics} scrapes
     */
    public HttpApi(SessionCommands commands, SessionQueries queries, SessionSubscriptions subscriptions,
            HttpSettings settings, PrometheusMeterRegistry registry) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tokens = new TokenVerifier(settings.jwtSecret(), Clock.systemUTC());
        this.cors = new Cors(settings.corsOrigins());
        this.streams = new SseStreams(settings.sseHeartbeat(), settings.sseWriteTimeout());
        Gauge.builder("phaseline.sse.streams.open", streams, SseStreams::size)
                .description("open SSE streams on this node").register(registry);
        Gauge.builder("phaseline.sse.streams.stalled", streams, SseStreams::stalled)
                .description("open SSE streams whose client takes nothing right now").register(registry);
        this.routes = List.copyOf(routeTable());
        this.openApi = Json.bytes(OpenApi.document(routes));
    }

    /**
     * Registers routes, CORS, metrics and problem handling into a Javalin configuration.
     *
     * @param cfg the embedder's configuration, inside {@code Javalin.create(cfg -> ...)}
     */
    public void mount(JavalinConfig cfg) {
        cfg.routes.before(ctx -> {
            ctx.attribute(START_ATTRIBUTE, System.nanoTime());
            cors.before(ctx);
        });
        for (Route route : routes) {
            cfg.routes.addHttpHandler(io.javalin.http.HandlerType.findOrCreate(route.method()), route.path(),
                    ctx -> serve(route, ctx));
        }
        cfg.routes.after(this::recordRequest);
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> Problems.respond(e, ctx));
        cfg.routes.exception(Exception.class, (e, ctx) -> Problems.respond(e, ctx));
    }

    /**
     * Starts a standalone server with only this API.
     *
     * @param host the interface to bind, e.g. {@code 0.0.0.0}
     * @param port the port, {@code 0} for any free one
     * @return the port it listens on
     * @throws IllegalStateException if already started
     */
    public synchronized int start(String host, int port) {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        server = Javalin.create(cfg -> {
            configureServer(cfg, DEFAULT_STORE_CONNECTIONS);
            mount(cfg);
        }).start(host, port);
        return server.port();
    }

    /**
     * Sets up a Javalin that serves this API as its own server (as {@link #start(String, int)} and the Phaseline
     * server do): no banner, a lean output buffer, and request threads sized to what requests wait for. Mounting is
     * left to the caller, so it can put its own handlers around the API's.
     *
     * @param cfg              the configuration, inside {@code Javalin.create(cfg -> ...)}
     * @param storeConnections the store's connection pool size: more requests than that wait for a connection
     */
    public static void configureServer(JavalinConfig cfg, int storeConnections) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        // Jetty keeps a response's output buffer for as long as the response is open, which for an event stream
        // is hours. Streams write around it, but a smaller default keeps any other long response lean too.
        cfg.jetty.modifyHttpConfiguration(http -> http.setOutputBufferSize(OUTPUT_BUFFER_SIZE));
        cfg.jetty.threadPool = RequestThreads.pool(storeConnections, Runtime.getRuntime().availableProcessors());
    }

    /** Ends every open stream (clients resume with {@code Last-Event-ID}), then stops the standalone server. */
    public synchronized void stop() {
        streams.close();
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Same as {@link #stop()}; when mounted, ends the open streams and the adapter's threads. */
    @Override
    public void close() {
        stop();
    }

    /** @return the routes this API serves, in table order */
    List<Route> routes() {
        return routes;
    }

    /** @return the number of open SSE streams */
    int openStreams() {
        return streams.size();
    }

    /** @return the number of open SSE streams whose client takes nothing right now */
    int stalledStreams() {
        return streams.stalled();
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    private void serve(Route route, Context ctx) throws Exception {
        ctx.attribute(ROUTE_ATTRIBUTE, route.path());
        Principal principal = route.authenticated() ? tokens.authenticate(ctx.header("Authorization")) : null;
        route.handler().handle(ctx, principal);
    }

    private void recordRequest(Context ctx) {
        try {
            Long start = ctx.attribute(START_ATTRIBUTE);
            String route = ctx.attribute(ROUTE_ATTRIBUTE);
            RequestKey key = new RequestKey(ctx.req().getMethod(), route == null ? "unmatched" : route,
                    ctx.statusCode());
            if (requestTimers.size() >= MAX_REQUEST_TIMERS) {
                requestTimers.clear(); // clients choose the method; the registry keeps the meters either way
            }
            requestTimers.computeIfAbsent(key, k -> Timer.builder("phaseline.http.requests")
                    .description("HTTP requests by route template and status")
                    .tag("method", k.method())
                    .tag("route", k.route())
                    .tag("status", Integer.toString(k.status()))
                    .register(registry))
                    .record(System.nanoTime() - (start == null ? System.nanoTime() : start),
                            java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            LOG.debug("could not record a request", e);
        }
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status);
        ctx.contentType(JSON);
        ctx.result(Json.bytes(body));
    }

    private static void session(Context ctx, int status, Session session) {
        ctx.header("ETag", Requests.etag(session.version()));
        json(ctx, status, Json.session(session));
    }

    private CommandResult execute(Context ctx, Principal principal, SessionCommand command, SessionId id,
            OptionalLong expected) {
        return expected.isPresent()
                ? commands.execute(principal, id, command, expected.getAsLong())
                : commands.execute(principal, id, command);
    }

    /** A command route: id, then If-Match, then the body, then the command. */
    private Route command(String name, String summary, ObjectNode body,
            Function<JsonNode, SessionCommand> parse) {
        return new Route("POST", "/api/v1/sessions/{id}/" + name, camel(name), summary, true, 200,
                Route.Response.SESSION, List.of(ifMatchHeader()), body, (ctx, principal) -> {
                    SessionId id = Requests.pathId(ctx);
                    OptionalLong expected = Requests.ifMatch(ctx);
                    SessionCommand command = parse.apply(Requests.body(ctx));
                    session(ctx, 200, execute(ctx, principal, command, id, expected).session());
                });
    }

    private static Route.Parameter ifMatchHeader() {
        return header("If-Match", "string", "only apply if the session is at this version, e.g. \"4\"");
    }

    private static String camel(String name) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    // ---- the route table ------------------------------------------------------------------------------------

    private List<Route> routeTable() {
        List<Route> table = new ArrayList<>();
        table.add(new Route("GET", "/health", "health", "liveness", false, 200, Route.Response.HEALTH, List.of(),
                null, (ctx, p) -> json(ctx, 200, Json.NODES.objectNode().put("status", "up"))));
        table.add(new Route("GET", "/ready", "ready", "readiness of the store, the cache and the migrations", false,
                200, Route.Response.READY, List.of(), null, (ctx, p) -> ready(ctx)));
        table.add(new Route("GET", "/metrics", "metrics", "Prometheus metrics", false, 200, Route.Response.METRICS,
                List.of(), null, (ctx, p) -> {
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
                    ctx.result(registry.scrape().getBytes(StandardCharsets.UTF_8));
                }));
        table.add(new Route("GET", "/openapi.json", "openapi", "this document", false, 200, Route.Response.OPENAPI,
                List.of(), null, (ctx, p) -> {
                    ctx.contentType(JSON);
                    ctx.result(openApi);
                }));
        table.add(new Route("GET", "/api/v1/me", "me", "who the token says the caller is", true, 200,
                Route.Response.ME, List.of(), null, (ctx, principal) -> {
                    ObjectNode me = Json.NODES.objectNode();
                    me.put("userId", principal.userId());
                    me.put("tenantId", principal.tenantId());
                    ArrayNode roles = me.putArray("roles");
                    principal.roles().stream().sorted().map(Role::wireName).forEach(roles::add);
                    json(ctx, 200, me);
                }));
        table.add(new Route("POST", "/api/v1/sessions", "createSession", "create a session", true, 201,
                Route.Response.SESSION, List.of(), OpenApi.createBody(), (ctx, principal) -> {
                    var create = Requests.createSession(Requests.body(ctx));
                    Session created = commands.create(principal, create).session();
                    ctx.header("Location", "/api/v1/sessions/" + created.id());
                    session(ctx, 201, created);
                }));
        table.add(new Route("GET", "/api/v1/sessions", "listSessions", "list visible sessions, newest first", true,
                200, Route.Response.SESSION_PAGE, List.of(
                        query("status", "string", "comma list of statuses; deleted ones only when asked"),
                        query("workflow", "string", "only this workflow"),
                        query("owner", "string", "only this owner"),
                        query("limit", "integer", "1-200, default 50"),
                        query("cursor", "string", "nextCursor of the previous page")),
                null, (ctx, principal) -> list(ctx, principal)));
        table.add(new Route("GET", "/api/v1/sessions/{id}", "getSession", "read a session", true, 200,
                Route.Response.SESSION, List.of(), null,
                (ctx, principal) -> session(ctx, 200, queries.get(principal, Requests.pathId(ctx)))));
        table.add(new Route("GET", "/api/v1/sessions/{id}/status", "getStatus", "poll a session's status", true, 200,
                Route.Response.STATUS, List.of(header("If-None-Match", "string", "304 when equal to the version")),
                null, (ctx, principal) -> status(ctx, principal)));
        table.add(new Route("GET", "/api/v1/sessions/{id}/history", "getHistory", "a session's stored events", true,
                200, Route.Response.EVENT_PAGE, List.of(
                        query("after", "integer", "only events after this seq, default 0"),
                        query("limit", "integer", "1-1000, default 100")),
                null, (ctx, principal) -> history(ctx, principal)));
        table.add(new Route("GET", "/api/v1/sessions/{id}/events", "streamSession", "live events of a session (SSE)",
                true, 200, Route.Response.EVENT_STREAM, List.of(
                        header("Last-Event-ID", "integer", "resume after this seq; wins over after"),
                        query("after", "integer", "resume after this seq")),
                null, (ctx, principal) -> streamSession(ctx, principal)));
        table.add(command("start", "start a created session", null, body -> new SessionCommand.Start()));
        table.add(command("pause", "pause a running session", OpenApi.reasonBody(), Requests::pause));
        table.add(command("resume", "resume a session paused on request", null,
                body -> new SessionCommand.Resume()));
        table.add(command("clarification", "answer the open clarification questions", OpenApi.answersBody(),
                Requests::answers));
        table.add(command("kill", "kill an active session", OpenApi.reasonBody(), Requests::kill));
        table.add(new Route("DELETE", "/api/v1/sessions/{id}", "deleteSession", "delete a session", true, 204,
                Route.Response.NONE, List.of(ifMatchHeader()), null, (ctx, principal) -> {
                    SessionId id = Requests.pathId(ctx);
                    OptionalLong expected = Requests.ifMatch(ctx);
                    Requests.body(ctx);
                    execute(ctx, principal, new SessionCommand.Delete(), id, expected);
                    ctx.status(204);
                }));
        table.add(command("phase", "move a running session to another phase", OpenApi.phaseBody(),
                Requests::phase));
        table.add(command("progress", "record progress", OpenApi.progressBody(), Requests::progress));
        table.add(command("clarification-request", "pause with questions for the owner",
                OpenApi.questionsBody(), Requests::clarificationRequest));
        table.add(new Route("POST", "/api/v1/sessions/{id}/events", "appendEvent", "append a custom event", true,
                201, Route.Response.EVENT, List.of(ifMatchHeader()), OpenApi.eventBody(), (ctx, principal) -> {
                    SessionId id = Requests.pathId(ctx);
                    OptionalLong expected = Requests.ifMatch(ctx);
                    SessionCommand command = Requests.appendEvent(Requests.body(ctx));
                    List<StoredEvent> events = execute(ctx, principal, command, id, expected).events();
                    json(ctx, 201, Json.event(events.get(events.size() - 1), false));
                }));
        table.add(command("complete", "complete a running session", OpenApi.resultBody(), Requests::complete));
        table.add(command("fail", "fail an active session", OpenApi.failBody(), Requests::fail));
        table.add(new Route("POST", "/api/v1/sessions/{id}/heartbeat", "heartbeat", "the worker is alive", true,
                204, Route.Response.NONE, List.of(ifMatchHeader()), null, (ctx, principal) -> {
                    SessionId id = Requests.pathId(ctx);
                    OptionalLong expected = Requests.ifMatch(ctx);
                    Requests.body(ctx);
                    if (expected.isPresent()) {
                        long current = queries.get(principal, id).version();
                        if (current != expected.getAsLong()) {
                            throw new dev.phaseline.application.VersionMismatchException(id, expected.getAsLong(),
                                    current);
                        }
                    }
                    commands.heartbeat(principal, id);
                    ctx.status(204);
                }));
        table.add(new Route("GET", "/api/v1/events", "streamFeed",
                "live events of the tenant (admin: every tenant), by global position (SSE)", true, 200,
                Route.Response.EVENT_STREAM, List.of(
                        query("types", "string", "comma list of event types"),
                        header("Last-Event-ID", "integer", "resume after this position; wins over after"),
                        query("after", "integer", "resume after this position")),
                null, (ctx, principal) -> streamFeed(ctx, principal)));
        table.add(new Route("GET", "/api/v1/admin/stats", "adminStats", "session counts by tenant and status", true,
                200, Route.Response.STATS, List.of(), null, (ctx, principal) -> {
                    var stats = queries.stats(principal);
                    ObjectNode body = Json.NODES.objectNode();
                    ObjectNode tenants = body.putObject("countsByTenant");
                    new TreeMap<>(stats.countsByTenant()).forEach((tenant, counts) -> {
                        ObjectNode byStatus = tenants.putObject(tenant);
                        new TreeMap<>(counts).forEach((status, count) -> byStatus.put(status.wireName(), count));
                    });
                    json(ctx, 200, body);
                }));
        return table;
    }

    // ---- handlers -------------------------------------------------------------------------------------------

    private void ready(Context ctx) {
        Map<String, BooleanSupplier> checks = settings.readiness();
        ObjectNode body = Json.NODES.objectNode();
        ObjectNode results = Json.NODES.objectNode();
        boolean ready = true;
        List<String> names = new ArrayList<>(READINESS_CHECKS);
        checks.keySet().stream().sorted().filter(name -> !names.contains(name)).forEach(names::add);
        for (String name : names) {
            BooleanSupplier check = checks.get(name);
            if (check == null) {
                results.put(name, "not_configured");
                continue;
            }
            boolean up;
            try {
                up = check.getAsBoolean();
            } catch (RuntimeException e) {
                LOG.debug("readiness check {} failed", name, e);
                up = false;
            }
            results.put(name, up ? "up" : "down");
            ready &= up;
        }
        body.put("status", ready ? "up" : "down");
        body.set("checks", results);
        json(ctx, ready ? 200 : 503, body);
    }

    private void list(Context ctx, Principal principal) {
        Set<SessionStatus> statuses = EnumSet.noneOf(SessionStatus.class);
        for (String name : Requests.commaList(ctx, "status")) {
            statuses.add(SessionStatus.fromWireName(name));
        }
        int limit = (int) Requests.longParam(ctx, "limit", 1, ListSessions.MAX_LIMIT, ListSessions.DEFAULT_LIMIT);
        String workflow = ctx.queryParam("workflow");
        String owner = ctx.queryParam("owner");
        SessionPage page = queries.list(principal, new ListSessions(statuses, blankToNull(workflow),
                blankToNull(owner), limit, ctx.queryParam("cursor")));
        ObjectNode body = Json.NODES.objectNode();
        ArrayNode items = body.putArray("items");
        page.items().forEach(session -> items.add(Json.session(session)));
        body.put("nextCursor", page.nextCursor());
        json(ctx, 200, body);
    }

    private void status(Context ctx, Principal principal) {
        Session session = queries.get(principal, Requests.pathId(ctx));
        ctx.header("ETag", Requests.etag(session.version()));
        if (Requests.ifNoneMatch(ctx, session.version())) {
            ctx.status(304);
            return;
        }
        json(ctx, 200, Json.status(session));
    }

    private void history(Context ctx, Principal principal) {
        SessionId id = Requests.pathId(ctx);
        long after = Requests.longParam(ctx, "after", 0, Long.MAX_VALUE, 0);
        int limit = (int) Requests.longParam(ctx, "limit", 1, EventPage.MAX_LIMIT, EventPage.DEFAULT_LIMIT);
        EventPage page = queries.history(principal, id, after, limit);
        ObjectNode body = Json.NODES.objectNode();
        ArrayNode items = body.putArray("items");
        page.items().forEach(event -> items.add(Json.event(event, false)));
        if (page.nextAfter() == null) {
            body.putNull("nextAfter");
        } else {
            body.put("nextAfter", page.nextAfter());
        }
        json(ctx, 200, body);
    }

    private void streamSession(Context ctx, Principal principal) {
        SessionId id = Requests.pathId(ctx);
        long after = Requests.resumePoint(ctx);
        openStream(ctx, false, stream -> subscriptions.subscribe(principal, id, after, stream));
    }

    private void streamFeed(Context ctx, Principal principal) {
        long after = Requests.resumePoint(ctx);
        Set<String> types = Requests.commaList(ctx, "types");
        openStream(ctx, true, stream -> subscriptions.subscribeFeed(principal, after, types, stream));
    }

    /**
     * Subscribes once Javalin has put the request in async mode: a refusal (404, 403) is still an ordinary problem
     * response, since nothing is written before the subscription exists.
     */
    private void openStream(Context ctx, boolean feed, Function<SseStream, Subscription> subscribe) {
        ctx.future(() -> {
            SseStream stream = new SseStream(ctx.req(), ctx.res(), feed, streams, settings.sseStreamBuffer());
            Subscription subscription = subscribe.apply(stream);
            streams.add(stream);
            stream.attach(subscription);
            return stream.done();
        });
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
