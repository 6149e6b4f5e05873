package dev.phaseline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.phaseline.domain.SessionId;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** F6, F7, F8 and the operational routes. */
@Timeout(60)
class ContractIT {

    static final AtomicBoolean POSTGRES_UP = new AtomicBoolean(true);
    static TestServer server;
    static Client client;
    static String alice;
    static String admin;

    @BeforeAll
    static void start() {
        server = new TestServer(1024, Duration.ofSeconds(15), Duration.ofSeconds(10), Map.<String, BooleanSupplier>of(
                "postgres", POSTGRES_UP::get, "redis", () -> true, "migrations", () -> true));
        client = server.client();
        alice = server.token("alice", "acme", "user");
        admin = server.token("root", "ops", "admin");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_non_admin_gets_403_on_admin_routes_and_me_tells_the_roles() {
        Client.Reply stats = client.get("/api/v1/admin/stats", alice);
        assertThat(stats.status()).isEqualTo(403);
        assertThat(stats.code()).isEqualTo("forbidden");
        JsonNode me = client.get("/api/v1/me", server.token("sam", "acme", "support", "worker")).json();
        assertThat(me.get("userId").asText()).isEqualTo("sam");
        assertThat(me.get("tenantId").asText()).isEqualTo("acme");
        assertThat(me.get("roles")).extracting(JsonNode::asText).containsExactly("support", "worker");

        client.post("/api/v1/sessions", alice, "{}");
        Client.Reply adminStats = client.get("/api/v1/admin/stats", admin);
        assertThat(adminStats.status()).isEqualTo(200);
        assertThat(adminStats.json().at("/countsByTenant/acme/created").asLong()).isPositive();
    }

    /**
     * The contract: every {@code METHOD path} of the route table in HTTP-API.md, written out by hand. The router and
     * {@code /openapi.json} are both built from the same route table, so comparing them with each other cannot see
     * the table drift from what clients call; comparing each with this list can.
     */
    static final Set<String> CONTRACT_ROUTES = Set.of(
            "GET /health",
            "GET /ready",
            "GET /metrics",
            "GET /openapi.json",
            "GET /api/v1/me",
            "POST /api/v1/sessions",
            "GET /api/v1/sessions",
            "GET /api/v1/sessions/{id}",
            "GET /api/v1/sessions/{id}/status",
            "GET /api/v1/sessions/{id}/history",
            "GET /api/v1/sessions/{id}/events",
            "POST /api/v1/sessions/{id}/start",
            "POST /api/v1/sessions/{id}/pause",
            "POST /api/v1/sessions/{id}/resume",
            "POST /api/v1/sessions/{id}/clarification",
            "POST /api/v1/sessions/{id}/kill",
            "DELETE /api/v1/sessions/{id}",
            "POST /api/v1/sessions/{id}/phase",
            "POST /api/v1/sessions/{id}/progress",
            "POST /api/v1/sessions/{id}/clarification-request",
            "POST /api/v1/sessions/{id}/events",
            "POST /api/v1/sessions/{id}/complete",
            "POST /api/v1/sessions/{id}/fail",
            "POST /api/v1/sessions/{id}/heartbeat",
            "GET /api/v1/events",
            "GET /api/v1/admin/stats");

    /** The operation keys an OpenAPI path item may hold; anything else in it (summary, parameters) is no route. */
    private static final Set<String> OPENAPI_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    void the_router_and_the_openapi_document_serve_exactly_the_routes_of_the_contract() {
        Set<String> routed = registeredRoutes();
        Set<String> documented = documentedRoutes(client.get("/openapi.json", null).json());

        assertThat(routed).as("routed").containsExactlyInAnyOrderElementsOf(CONTRACT_ROUTES);
        assertThat(documented).as("documented").containsExactlyInAnyOrderElementsOf(CONTRACT_ROUTES);
        // The live server, not only a router built from the same API, answers every route of the contract.
        CONTRACT_ROUTES.forEach(ContractIT::assertAnswered);
    }

    /** Which routes are served and documented is pinned to the contract above; this is what is left. */
    @Test
    void the_document_is_openapi_3_1_and_a_route_outside_the_contract_is_no_route() {
        JsonNode doc = client.get("/openapi.json", null).json();
        assertThat(doc.get("openapi").asText()).startsWith("3.1");
        assertThat(server.api.routes()).hasSize(CONTRACT_ROUTES.size());

        Client.Reply unknown = client.get("/api/v1/unknown", admin);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).startsWith("no route");
    }

    /** @return {@code METHOD path} of every HTTP route Javalin registers when the API is mounted */
    private static Set<String> registeredRoutes() {
        io.javalin.Javalin app = io.javalin.Javalin.create(server.api::mount);
        Set<String> registered = new TreeSet<>();
        app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .forEach(endpoint -> registered.add(endpoint.method.name() + " " + endpoint.path));
        return registered;
    }

    /** @return {@code METHOD path} of every operation of the OpenAPI document */
    private static Set<String> documentedRoutes(JsonNode doc) {
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(key -> {
            if (OPENAPI_METHODS.contains(key)) {
                documented.add(key.toUpperCase() + " " + path.getKey());
            }
        }));
        return documented;
    }

    /** The route ({@code METHOD path}) answers something other than "no such route". */
    private static void assertAnswered(String route) {
        String[] parts = route.split(" ", 2);
        if (route.equals("GET /api/v1/events")) {
            // the admin's feed never ends; a session stream of an unknown id is an ordinary 404 problem
            try (Client.Stream stream = client.stream(parts[1], admin)) {
                assertThat(stream.status()).as(route).isEqualTo(200);
            }
            return;
        }
        String path = parts[1].replace("{id}", UUID.randomUUID().toString());
        Client.Reply reply = client.send(parts[0], path, admin, parts[0].equals("POST") ? "{}".getBytes() : null,
                parts[0].equals("POST") ? "application/json" : null);
        if (reply.status() == 404) {
            assertThat(reply.json().get("detail").asText()).as(route).doesNotStartWith("no route");
        }
    }

    @Test
    void an_allowed_origin_gets_cors_headers_everywhere_and_others_get_none() {
        String origin = TestServer.ALLOWED_ORIGIN;
        String id = client.post("/api/v1/sessions", alice, "{}").json().get("id").asText();

        Client.Reply status = client.get("/api/v1/sessions/" + id + "/status", alice, "Origin", origin);
        assertCors(status.raw().headers().map(), origin);
        Client.Reply error = client.get("/api/v1/sessions/" + UUID.randomUUID(), alice, "Origin", origin);
        assertThat(error.status()).isEqualTo(404);
        assertCors(error.raw().headers().map(), origin);
        Client.Reply unauthenticated = client.get("/api/v1/me", null, "Origin", origin);
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertCors(unauthenticated.raw().headers().map(), origin);
        Client.Reply unknownRoute = client.get("/nothing/here", null, "Origin", origin);
        assertThat(unknownRoute.status()).isEqualTo(404);
        assertCors(unknownRoute.raw().headers().map(), origin);
        try (Client.Stream stream = client.stream("/api/v1/sessions/" + id + "/events", alice, "Origin", origin)) {
            assertThat(stream.status()).isEqualTo(200);
            assertCors(stream.response.headers().map(), origin);
        }

        Client.Reply preflight = client.send("OPTIONS", "/api/v1/sessions/" + id + "/status", null, null, null,
                "Origin", origin, "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization,if-none-match");
        assertThat(preflight.status()).isEqualTo(204);
        assertCors(preflight.raw().headers().map(), origin);
        assertThat(preflight.header("Access-Control-Allow-Methods")).hasValue("GET, POST, DELETE, OPTIONS");
        assertThat(preflight.header("Access-Control-Allow-Headers")).hasValue(
                "Authorization, Content-Type, If-Match, If-None-Match, Last-Event-ID, Idempotency-Key");
        assertThat(preflight.header("Access-Control-Expose-Headers")).hasValue("ETag, Location");
        assertThat(preflight.header("Access-Control-Max-Age")).hasValue("600");

        String evil = "https://evil.example.com";
        for (Client.Reply reply : new Client.Reply[] {
                client.get("/api/v1/sessions/" + id + "/status", alice, "Origin", evil),
                client.get("/api/v1/sessions/" + UUID.randomUUID(), alice, "Origin", evil),
                client.send("OPTIONS", "/api/v1/sessions", null, null, null, "Origin", evil,
                        "Access-Control-Request-Method", "POST")}) {
            assertNoCors(reply.raw().headers().map());
        }
        try (Client.Stream stream = client.stream("/api/v1/sessions/" + id + "/events", alice, "Origin", evil)) {
            assertNoCors(stream.response.headers().map());
        }
    }

    private static void assertCors(Map<String, java.util.List<String>> headers, String origin) {
        assertThat(first(headers, "Access-Control-Allow-Origin")).isEqualTo(origin);
        assertThat(first(headers, "Access-Control-Allow-Credentials")).isEqualTo("true");
    }

    private static void assertNoCors(Map<String, java.util.List<String>> headers) {
        for (String name : headers.keySet()) {
            assertThat(name.toLowerCase()).doesNotStartWith("access-control-");
        }
    }

    private static String first(Map<String, java.util.List<String>> headers, String name) {
        for (Iterator<Map.Entry<String, java.util.List<String>>> it = headers.entrySet().iterator();
                it.hasNext();) {
            Map.Entry<String, java.util.List<String>> entry = it.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    @Test
    void health_readiness_and_metrics() {
        Client.Reply health = client.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("up");

        Client.Reply ready = client.get("/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("up");
        assertThat(ready.json().at("/checks/postgres").asText()).isEqualTo("up");
        assertThat(ready.json().at("/checks/redis").asText()).isEqualTo("up");
        assertThat(ready.json().at("/checks/migrations").asText()).isEqualTo("up");
        POSTGRES_UP.set(false);
        try {
            Client.Reply notReady = client.get("/ready", null);
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().get("status").asText()).isEqualTo("down");
            assertThat(notReady.json().at("/checks/postgres").asText()).isEqualTo("down");
        } finally {
            POSTGRES_UP.set(true);
        }

        String id = client.post("/api/v1/sessions", alice, "{}").json().get("id").asText();
        client.post("/api/v1/sessions/" + id + "/resume", alice, null);
        client.get("/api/v1/sessions/" + id, alice);
        try (Client.Stream stream = client.stream("/api/v1/sessions/" + id + "/events", alice)) {
            stream.nextEvent();
            String metrics = client.get("/metrics", null).text();
            assertThat(metrics).containsPattern("phaseline_sse_streams_open [1-9]");
            assertThat(metrics).contains("route=\"/api/v1/sessions/{id}\"");
            assertThat(metrics).contains("phaseline_http_requests_seconds_count");
            assertThat(metrics).contains("phaseline_commands_total{command=\"create\",outcome=\"ok\"}");
            assertThat(metrics).contains("outcome=\"illegal_transition\"");
            assertThat(metrics).contains("phaseline_cache_reads_total");
        }
    }

    @Test
    void a_read_served_from_the_cache_counts_a_hit_and_one_served_from_the_store_counts_a_miss() {
        String id = client.post("/api/v1/sessions", alice, "{}").json().get("id").asText();
        String path = "/api/v1/sessions/" + id;

        // The create wrote its committed version through to the cache: reads are served from there.
        double hits = cacheReads("hit");
        double misses = cacheReads("miss");
        assertThat(client.get(path, alice).status()).isEqualTo(200);
        assertThat(client.get(path, alice).status()).isEqualTo(200);
        assertThat(cacheReads("hit")).isEqualTo(hits + 2);
        assertThat(cacheReads("miss")).isEqualTo(misses);

        // Without the entry the read goes to the store, and repairs the entry for the next one.
        server.cache.remove(SessionId.parse(id));
        assertThat(client.get(path, alice).status()).isEqualTo(200);
        assertThat(cacheReads("hit")).isEqualTo(hits + 2);
        assertThat(cacheReads("miss")).isEqualTo(misses + 1);
        assertThat(client.get(path, alice).status()).isEqualTo(200);
        assertThat(cacheReads("hit")).isEqualTo(hits + 3);
        assertThat(cacheReads("miss")).isEqualTo(misses + 1);
    }

    /** @return the {@code phaseline_cache_reads_total} series of the result in {@code /metrics}, 0 if absent */
    private static double cacheReads(String result) {
        Matcher series = Pattern.compile("(?m)^phaseline_cache_reads_total\\{result=\"" + result + "\",?\\} (\\S+)$")
                .matcher(client.get("/metrics", null).text());
        return series.find() ? Double.parseDouble(series.group(1)) : 0;
    }

    @Test
    void stopping_the_server_ends_open_streams() {
        try (TestServer other = new TestServer()) {
            Client otherClient = other.client();
            String token = other.token("alice", "acme", "user");
            String id = otherClient.post("/api/v1/sessions", token, "{}").json().get("id").asText();
            try (Client.Stream stream = otherClient.stream("/api/v1/sessions/" + id + "/events", token)) {
                assertThat(stream.nextEvent().event()).isEqualTo("session.created");
                other.api.stop();
                stream.awaitEnd();
            }
        }
    }
}
