package dev.phaseline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** F22: every bad request gets its documented problem, never a 500, and nothing is stored. */
@Timeout(60)
class BadRequestIT {

    static TestServer server;
    static Client client;
    static String alice;
    static String worker;
    static String running;
    static String paused;

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = server.client();
        alice = server.token("alice", "acme", "user");
        worker = server.token("bot", "acme", "worker");
        running = client.post("/api/v1/sessions", alice, "{}").json().get("id").asText();
        client.post("/api/v1/sessions/" + running + "/start", alice, null);
        paused = client.post("/api/v1/sessions", alice, "{}").json().get("id").asText();
        client.post("/api/v1/sessions/" + paused + "/start", alice, null);
        client.post("/api/v1/sessions/" + paused + "/clarification-request", worker,
                "{\"questions\":[{\"id\":\"q1\",\"text\":\"?\"}]}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One bad request and what it must get. */
    record Bad(String name, String method, String path, String token, byte[] body, String contentType,
            int status, String code, String errorPath) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Bad bad(String name, String method, String path, String token, String json, int status, String code,
            String errorPath) {
        return new Bad(name, method, path, token, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                json == null ? null : "application/json", status, code, errorPath);
    }

    static String signed(JWSAlgorithm alg, byte[] secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").claim("tenant", "acme").claim("roles", List.of("user"))
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    static Stream<Arguments> badRequests() {
        String r = "/api/v1/sessions/" + running;
        byte[] longSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                .getBytes(StandardCharsets.UTF_8);
        String forged = signed(JWSAlgorithm.HS256, "another-secret-another-secret-another-secret"
                .getBytes(StandardCharsets.UTF_8), claims().build());
        String none = new PlainJWT(claims().build()).serialize();
        String[] parts = alice.split("\\.");
        String noneHeaderOnValidToken = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        String hs512 = signed(JWSAlgorithm.HS512, longSecret, claims().build());
        String expired = server.issuer.issue("alice", "acme", List.of("user"), Duration.ofMinutes(-5));
        String noSub = signed(JWSAlgorithm.HS256, TestServer.SECRET, claims().subject(null).build());
        String noTenant = signed(JWSAlgorithm.HS256, TestServer.SECRET, claims().claim("tenant", null).build());
        String noExp = signed(JWSAlgorithm.HS256, TestServer.SECRET, claims().expirationTime(null).build());
        String rolesNotArray = signed(JWSAlgorithm.HS256, TestServer.SECRET, claims().claim("roles", "admin")
                .build());
        byte[] twoMiB = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(twoMiB, (byte) ' ');
        twoMiB[0] = '{';
        twoMiB[twoMiB.length - 1] = '}';
        String s = "/api/v1/sessions";
        return Stream.of(
                bad("broken JSON", "POST", s, alice, "{\"title\":", 400, "validation_failed", "body"),
                bad("trailing garbage", "POST", s, alice, "{} {}", 400, "validation_failed", "body"),
                bad("array body", "POST", s, alice, "[1,2]", 400, "validation_failed", "body"),
                bad("duplicate member", "POST", s, alice, "{\"title\":\"a\",\"title\":\"b\"}", 400,
                        "validation_failed", "body"),
                new Bad("wrong content type", "POST", s, alice, "title=x".getBytes(StandardCharsets.UTF_8),
                        "application/x-www-form-urlencoded", 415, "unsupported_media_type", null),
                new Bad("no content type", "POST", s, alice, "{}".getBytes(StandardCharsets.UTF_8), null, 415,
                        "unsupported_media_type", null),
                new Bad("2 MiB body", "POST", s, alice, twoMiB, "application/json", 413, "payload_too_large", null),
                bad("title is a number", "POST", s, alice, "{\"title\":5}", 400, "validation_failed", "title"),
                bad("title too long", "POST", s, alice, "{\"title\":\"" + "t".repeat(201) + "\"}", 400,
                        "validation_failed", "title"),
                bad("input is a string", "POST", s, alice, "{\"input\":\"x\"}", 400, "validation_failed", "input"),
                bad("input over 256 KiB", "POST", s, alice, "{\"input\":{\"x\":\"" + "i".repeat(300 * 1024)
                        + "\"}}", 400, "validation_failed", "input"),
                bad("huge exponent", "POST", s, alice, "{\"input\":{\"n\":1e999999999}}", 400,
                        "validation_failed", "input.n"),
                bad("NUL in a string", "POST", s, alice, "{\"title\":\"a\\u0000b\"}", 400, "validation_failed",
                        "title"),
                bad("bad workflow name", "POST", s, alice, "{\"workflow\":\"no spaces\"}", 400,
                        "validation_failed", "workflow"),
                bad("questions is a string", "POST", r + "/clarification-request", worker,
                        "{\"questions\":\"x\"}", 400, "validation_failed", "questions"),
                bad("question without text", "POST", r + "/clarification-request", worker,
                        "{\"questions\":[{\"id\":\"q1\"}]}", 400, "validation_failed", "questions[0].text"),
                bad("21 questions", "POST", r + "/clarification-request", worker, "{\"questions\":["
                        + String.join(",", java.util.stream.IntStream.range(0, 21)
                                .mapToObj(i -> "{\"id\":\"q" + i + "\",\"text\":\"t\"}").toList()) + "]}", 400, "validation_failed", null),
                bad("round is fractional", "POST", r + "/progress", worker, "{\"round\":1.5}", 400,
                        "validation_failed", "round"),
                bad("percent over 100", "POST", r + "/progress", worker, "{\"percent\":101}", 400,
                        "validation_failed", "percent"),
                bad("phase missing", "POST", r + "/phase", worker, "{}", 400, "validation_failed", "phase"),
                bad("phase malformed", "POST", r + "/phase", worker, "{\"phase\":\"Bad Phase\"}", 400,
                        "validation_failed", "phase"),
                bad("event type reserved", "POST", r + "/events", worker, "{\"type\":\"session.fake\"}", 400,
                        "validation_failed", "type"),
                bad("event data over 64 KiB", "POST", r + "/events", worker, "{\"type\":\"big\",\"data\":{\"x\":\""
                        + "d".repeat(70 * 1024) + "\"}}", 400, "validation_failed", "data"),
                bad("event data is an array", "POST", r + "/events", worker, "{\"type\":\"t\",\"data\":[1]}", 400,
                        "validation_failed", "data"),
                bad("answers not strings", "POST", "/api/v1/sessions/" + paused + "/clarification", alice,
                        "{\"answers\":{\"q1\":5}}", 400, "validation_failed", "answers.q1"),
                bad("fail without code", "POST", r + "/fail", worker, "{}", 400, "validation_failed", "code"),
                bad("bad UUID", "GET", "/api/v1/sessions/not-a-uuid", alice, null, 400, "validation_failed", "id"),
                bad("short UUID form", "GET", "/api/v1/sessions/1-2-3-4-5", alice, null, 400, "validation_failed",
                        "id"),
                bad("bad UUID on a command", "POST", "/api/v1/sessions/zzz/start", alice, null, 400,
                        "validation_failed", "id"),
                bad("bad UUID on a stream", "GET", "/api/v1/sessions/zzz/events", alice, null, 400,
                        "validation_failed", "id"),
                bad("unknown status", "GET", s + "?status=bogus", alice, null, 400, "validation_failed", "status"),
                bad("limit 0", "GET", s + "?limit=0", alice, null, 400, "validation_failed", "limit"),
                bad("limit 201", "GET", s + "?limit=201", alice, null, 400, "validation_failed", "limit"),
                bad("limit not a number", "GET", s + "?limit=ten", alice, null, 400, "validation_failed", "limit"),
                bad("malformed cursor", "GET", s + "?cursor=!!garbage!!", alice, null, 400, "validation_failed",
                        "cursor"),
                bad("forged cursor", "GET", s + "?cursor=YzE6MTox", alice, null, 400, "validation_failed",
                        "cursor"),
                bad("history limit 1001", "GET", r + "/history?limit=1001", alice, null, 400, "validation_failed",
                        "limit"),
                bad("history after -1", "GET", r + "/history?after=-1", alice, null, 400, "validation_failed",
                        "after"),
                bad("Last-Event-ID not a number", "GET", r + "/events", alice, null, 400, "validation_failed",
                        "Last-Event-ID"),
                bad("no token", "GET", s, null, null, 401, "unauthenticated", null),
                bad("forged signature", "GET", s, forged, null, 401, "unauthenticated", null),
                bad("none algorithm", "GET", s, none, null, 401, "unauthenticated", null),
                bad("none algorithm on a valid payload", "GET", s, noneHeaderOnValidToken, null, 401,
                        "unauthenticated", null),
                bad("HS512", "GET", s, hs512, null, 401, "unauthenticated", null),
                bad("expired", "GET", s, expired, null, 401, "unauthenticated", null),
                bad("no sub", "GET", s, noSub, null, 401, "unauthenticated", null),
                bad("no tenant", "GET", s, noTenant, null, 401, "unauthenticated", null),
                bad("no exp", "GET", s, noExp, null, 401, "unauthenticated", null),
                bad("roles not an array", "GET", s, rolesNotArray, null, 401, "unauthenticated", null),
                bad("garbage token", "GET", s, "not.a.jwt", null, 401, "unauthenticated", null),
                bad("create with a forged token", "POST", s, forged, "{}", 401, "unauthenticated", null),
                bad("unknown route", "GET", "/api/v1/nothing", alice, null, 404, "not_found", null),
                bad("unknown method on a route", "PUT", s, alice, null, 404, "not_found", null))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void bad_requests_get_their_documented_problem_and_store_nothing(Bad bad) {
        long sessionsBefore = server.storedSessions();
        long eventsBefore = server.store.eventLog().readSession(
                dev.phaseline.domain.SessionId.parse(running), 0, 1000).size();
        String[] headers = bad.name().startsWith("Last-Event-ID") ? new String[] {"Last-Event-ID", "abc"}
                : new String[0];
        Client.Reply reply = client.send(bad.method(), bad.path(), bad.token(), bad.body(), bad.contentType(),
                headers);
        assertThat(reply.status()).as(bad.name() + ": " + reply.text()).isEqualTo(bad.status());
        assertThat(reply.header("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = reply.json();
        assertThat(problem.get("code").asText()).isEqualTo(bad.code());
        assertThat(problem.get("type").asText()).isEqualTo("urn:phaseline:problem:" + bad.code());
        assertThat(problem.get("status").asInt()).isEqualTo(bad.status());
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        if (bad.errorPath() != null) {
            assertThat(problem.get("errors")).extracting(JsonNode::asText).contains(bad.errorPath());
        }
        if (bad.status() == 401) {
            assertThat(reply.header("WWW-Authenticate")).hasValue(bad.token() == null ? "Bearer"
                    : "Bearer error=\"invalid_token\"");
        }
        assertThat(server.storedSessions()).isEqualTo(sessionsBefore);
        assertThat(server.store.eventLog().readSession(dev.phaseline.domain.SessionId.parse(running), 0, 1000))
                .hasSize((int) eventsBefore);
    }

    @Test
    void a_token_within_the_clock_skew_is_still_accepted() {
        String justExpired = server.issuer.issue("alice", "acme", List.of("user"), Duration.ofSeconds(-10));
        assertThat(client.get("/api/v1/me", justExpired).status()).isEqualTo(200);
    }

    @Test
    void unknown_roles_are_ignored_and_no_roles_claim_means_user() {
        String mixed = server.issuer.issue("alice", "acme", List.of("user", "superhero"), Duration.ofMinutes(5));
        assertThat(client.get("/api/v1/me", mixed).json().get("roles")).extracting(JsonNode::asText)
                .containsExactly("user");
        String noRoles = signed(JWSAlgorithm.HS256, TestServer.SECRET, claims().claim("roles", null).build());
        assertThat(client.get("/api/v1/me", noRoles).json().get("roles")).extracting(JsonNode::asText)
                .containsExactly("user");
    }
}
