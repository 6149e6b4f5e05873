package dev.phaseline.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phaseline.domain.AnswersMissingException;
import dev.phaseline.domain.Command;
import dev.phaseline.domain.IllegalTransitionException;
import dev.phaseline.domain.PhaselineException;
import dev.phaseline.domain.ValidationException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become HTTP: every exception a route, the router or Javalin raises ends here and
 * leaves as an RFC 9457 problem ({@code application/problem+json}). Status codes are chosen by error code only.
 * Nothing of an exception but its code, its message and its documented fields reaches the client: never a stack
 * trace, a class name or a store's text.
 */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:phaseline:problem:";
    static final String INTERNAL = "internal_error";

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private record Kind(int status, String title) {
    }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("validation_failed", new Kind(400, "Validation failed")),
            Map.entry("answers_missing", new Kind(400, "Answers missing")),
            Map.entry("unauthenticated", new Kind(401, "Unauthenticated")),
            Map.entry("forbidden", new Kind(403, "Forbidden")),
            Map.entry("not_found", new Kind(404, "Not found")),
            Map.entry("illegal_transition", new Kind(409, "Illegal transition")),
            Map.entry("answers_required", new Kind(409, "Answers required")),
            Map.entry("version_mismatch", new Kind(412, "Version mismatch")),
            Map.entry("payload_too_large", new Kind(413, "Payload too large")),
            Map.entry("unsupported_media_type", new Kind(415, "Unsupported media type")),
            Map.entry("unavailable", new Kind(503, "Service unavailable")),
            Map.entry(INTERNAL, new Kind(500, "Internal error")));

    /** The statuses a Javalin {@link HttpResponseException} keeps, with their codes; any other is a 500. */
    private static final Map<Integer, String> STATUS_CODES = Map.of(
            400, "validation_failed",
            401, "unauthenticated",
            403, "forbidden",
            404, "not_found",
            413, "payload_too_large",
            415, "unsupported_media_type",
            503, "unavailable");

    private Problems() {
    }

    /** Writes the problem for any throwable onto the response. */
    static void respond(Throwable error, Context ctx) {
        Throwable cause = unwrap(error);
        ObjectNode body;
        if (cause instanceof PhaselineException known && KINDS.containsKey(known.code())
                && !INTERNAL.equals(known.code())) {
            body = describe(known);
            if (known instanceof RequestRejectedException rejected && "unauthenticated".equals(rejected.code())) {
                ctx.header("WWW-Authenticate", rejected.invalidToken() ? "Bearer error=\"invalid_token\"" : "Bearer");
            }
            if ("unavailable".equals(known.code())) {
                LOG.warn("answered 503: {}", known.getMessage(), known);
            }
        } else if (cause instanceof HttpResponseException http && STATUS_CODES.containsKey(http.getStatus())) {
            // Javalin's own (no route, a body over the limit) or one an embedder's route threw: its status stands. Its
            // message may say more than a client should see, so the detail is this adapter's.
            int status = http.getStatus();
            body = base(STATUS_CODES.get(status), switch (status) {
                case 404 -> "no route " + ctx.method() + " " + ctx.path();
                case 413 -> "the request body is larger than 1 MiB";
                default -> ctx.method() + " " + ctx.path() + " was refused";
            });
            if (status == 401) {
                ctx.header("WWW-Authenticate", "Bearer");
            }
        } else {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), cause);
            body = base(INTERNAL, "the server failed to handle the request; it has been logged");
        }
        ctx.status(body.get("status").intValue());
        ctx.contentType(CONTENT_TYPE);
        ctx.result(Json.bytes(body));
    }

    /** @return the status a code maps to, 500 for an unknown one */
    static int statusOf(String code) {
        Kind kind = KINDS.get(code);
        return kind == null ? 500 : kind.status();
    }

    private static ObjectNode describe(PhaselineException error) {
        ObjectNode body = base(error.code(), error.getMessage());
        if (error instanceof IllegalTransitionException illegal) {
            body.put("currentStatus", illegal.currentStatus().wireName());
            body.put("attempted", illegal.attempted().wireName());
            ArrayNode allowed = body.putArray("allowed");
            illegal.allowed().stream().sorted().map(Command::wireName).forEach(allowed::add);
        } else if (error instanceof AnswersMissingException missing) {
            ArrayNode ids = body.putArray("missing");
            missing.missing().forEach(ids::add);
        } else if (error instanceof ValidationException invalid) {
            ArrayNode paths = body.putArray("errors");
            invalid.errors().stream().map(ValidationException.FieldError::path).distinct().forEach(paths::add);
            if (!invalid.unknown().isEmpty()) {
                ArrayNode unknown = body.putArray("unknown");
                invalid.unknown().forEach(unknown::add);
            }
        }
        return body;
    }

    private static ObjectNode base(String code, String detail) {
        Kind kind = KINDS.get(code);
        ObjectNode body = Json.NODES.objectNode();
        body.put("type", TYPE_PREFIX + code);
        body.put("title", kind.title());
        body.put("status", kind.status());
        body.put("detail", detail);
        body.put("code", code);
        return body;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
