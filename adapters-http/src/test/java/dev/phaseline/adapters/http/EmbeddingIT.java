package dev.phaseline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.memory.InMemorySessionStore;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API mounted into an embedder's own Javalin app, beside the embedder's own routes, as {@link HttpApi}'s Javadoc
 * shows it: no {@link HttpApi#start(String, int)}, no {@link HttpApi#configureServer}.
 */
@Timeout(60)
class EmbeddingIT {

    static final String SECRET_DETAIL = "embedder internals at com.example.Secret";

    static PhaselineCore core;
    static HttpApi api;
    static Javalin app;
    static Client client;
    static String alice;

    @BeforeAll
    static void start() {
        InMemorySessionStore store = new InMemorySessionStore();
        core = PhaselineCore.builder().store(store).eventLog(store.eventLog()).sweepInterval(Duration.ZERO).build();
        api = new HttpApi(core, HttpSettings.of(TestServer.SECRET).withCorsOrigins(Set.of(TestServer.ALLOWED_ORIGIN)),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        app = Javalin.create(cfg -> {
            api.mount(cfg);
            cfg.routes.get("/own", ctx -> ctx.result("the embedder's own"));
            cfg.routes.get("/own/broken", ctx -> {
                throw new IllegalStateException(SECRET_DETAIL);
            });
            cfg.routes.get("/own/forbidden", ctx -> {
                throw new ForbiddenResponse(SECRET_DETAIL);
            });
            cfg.routes.get("/own/unauthorized", ctx -> {
                throw new UnauthorizedResponse(SECRET_DETAIL);
            });
            cfg.routes.get("/own/bad", ctx -> {
                throw new BadRequestResponse(SECRET_DETAIL);
            });
            cfg.routes.get("/own/teapot", ctx -> {
                throw new HttpResponseException(418, SECRET_DETAIL);
            });
        }).start("127.0.0.1", 0);
        client = new Client(app.port());
        alice = new TokenIssuer(TestServer.SECRET).issue("alice", "acme", List.of("user"), Duration.ofMinutes(10));
    }

    @AfterAll
    static void stop() {
        api.close();
        app.stop();
        core.close();
    }

    @Test
    void the_mounted_api_and_the_embedders_own_route_both_answer_in_one_app() {
        Client.Reply own = client.get("/own", null);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.text()).isEqualTo("the embedder's own");

        assertThat(client.get("/health", null).json().get("status").asText()).isEqualTo("up");
        assertThat(client.get("/openapi.json", null).json().get("paths").has("/api/v1/sessions")).isTrue();
        Client.Reply created = client.post("/api/v1/sessions", alice, "{\"title\":\"embedded\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).hasValue("/api/v1/sessions/" + id);
        Client.Reply read = client.get("/api/v1/sessions/" + id, alice);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("title").asText()).isEqualTo("embedded");
        // Streams run async on whatever Jetty the embedder configured, not only on the standalone server's.
        try (Client.Stream stream = client.stream("/api/v1/sessions/" + id + "/events", alice)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextEvent().event()).isEqualTo("session.created");
        }
    }

    /** HttpApi's Javadoc: every error, also of the embedder's own routes, becomes an RFC 9457 problem. */
    @Test
    void errors_of_the_embedders_own_routes_leave_as_problems_without_their_internals() {
        for (String path : List.of("/own/broken", "/own/forbidden", "/own/unauthorized", "/own/bad", "/own/teapot",
                "/own/missing")) {
            Client.Reply reply = client.get(path, null);
            assertThat(reply.header("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = reply.json();
            assertThat(problem.get("status").asInt()).as(path).isEqualTo(reply.status());
            assertThat(reply.status()).as(path).isGreaterThanOrEqualTo(400);
            assertThat(problem.get("type").asText()).as(path)
                    .isEqualTo("urn:phaseline:problem:" + problem.get("code").asText());
            assertThat(problem.get("title").asText()).as(path).isNotBlank();
            assertThat(problem.get("detail").asText()).as(path).isNotBlank();
            assertThat(reply.text()).as(path).doesNotContain(SECRET_DETAIL).doesNotContain("Exception");
        }
        Client.Reply missing = client.get("/own/missing", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("not_found");
    }

    /** An embedder that refuses with one of Javalin's status responses keeps that status, as a problem. */
    @Test
    void a_status_response_of_the_embedders_own_route_keeps_its_status_and_gets_the_documented_code() {
        Client.Reply forbidden = client.get("/own/forbidden", null);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.code()).isEqualTo("forbidden");
        Client.Reply unauthorized = client.get("/own/unauthorized", null);
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.code()).isEqualTo("unauthenticated");
        assertThat(unauthorized.header("WWW-Authenticate")).hasValue("Bearer");
        Client.Reply bad = client.get("/own/bad", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("validation_failed");
        // A status the contract has no code for stays an internal error rather than borrow a code that means more.
        Client.Reply teapot = client.get("/own/teapot", null);
        assertThat(teapot.status()).isEqualTo(500);
        assertThat(teapot.code()).isEqualTo("internal_error");
    }

    /** Mounting registers its CORS as a before-handler of the whole app, so the embedder's routes get it too. */
    @Test
    void an_allowed_origin_gets_cors_headers_on_the_api_and_on_the_embedders_own_route() {
        for (String path : List.of("/own", "/health", "/own/broken")) {
            Client.Reply allowed = client.get(path, null, "Origin", TestServer.ALLOWED_ORIGIN);
            assertThat(allowed.header("Access-Control-Allow-Origin")).as(path).hasValue(TestServer.ALLOWED_ORIGIN);
            assertThat(allowed.header("Access-Control-Allow-Credentials")).as(path).hasValue("true");
            Client.Reply other = client.get(path, null, "Origin", "https://evil.example.com");
            assertThat(other.raw().headers().map().keySet()).as(path)
                    .noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
        }
    }
}
