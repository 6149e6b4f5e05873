package dev.phaseline.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One row of the route table: what Javalin serves and what {@code /openapi.json} documents come from the same row,
 * so the two cannot drift apart.
 *
 * @param method        HTTP method, upper case
 * @param path          path template, {@code {id}} for the session id
 * @param operationId   OpenAPI operation id
 * @param summary       one line for the document
 * @param authenticated whether a bearer token is required
 * @param status        the success status
 * @param response      what a success carries
 * @param parameters    query and header parameters (the path id is implied by the template)
 * @param requestBody   JSON schema of the request body, or {@code null} for none
 * @param handler       what serves it, after authentication
 */
record Route(String method, String path, String operationId, String summary, boolean authenticated, int status,
        Response response, List<Parameter> parameters, ObjectNode requestBody, RouteHandler handler) {

    Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        parameters = List.copyOf(parameters);
    }

    /** What a successful response carries. */
    enum Response {
        /** No body. */
        NONE,
        /** {@code application/json}, schema by name. */
        SESSION, STATUS, SESSION_PAGE, EVENT, EVENT_PAGE, ME, STATS, HEALTH, READY, OPENAPI,
        /** {@code text/event-stream}. */
        EVENT_STREAM,
        /** Prometheus text. */
        METRICS
    }

    /**
     * A query or header parameter.
     *
     * @param name        its name
     * @param in          {@code query} or {@code header}
     * @param type        {@code string} or {@code integer}
     * @param description one line
     */
    record Parameter(String name, String in, String type, String description) {
        static Parameter query(String name, String type, String description) {
            return new Parameter(name, "query", type, description);
        }

        static Parameter header(String name, String type, String description) {
            return new Parameter(name, "header", type, description);
        }
    }

    /** Serves a request; the principal is {@code null} on routes without authentication. */
    @FunctionalInterface
    interface RouteHandler {
        void handle(io.javalin.http.Context ctx, dev.phaseline.application.Principal principal) throws Exception;
    }
}
