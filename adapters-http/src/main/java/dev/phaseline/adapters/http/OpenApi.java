package dev.phaseline.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Builds the OpenAPI 3.1 document from the route table, so that it describes exactly the routes served.
 */
final class OpenApi {

    private OpenApi() {
    }

    static ObjectNode document(List<Route> routes) {
        ObjectNode doc = Json.NODES.objectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Phaseline");
        info.put("version", "1");
        info.put("description", "Correct, durable and live lifecycles for long-running user sessions.");
        ObjectNode paths = doc.putObject("paths");
        for (Route route : routes) {
            ObjectNode path = paths.has(route.path()) ? (ObjectNode) paths.get(route.path())
                    : paths.putObject(route.path());
            path.set(route.method().toLowerCase(java.util.Locale.ROOT), operation(route));
        }
        doc.set("components", components());
        return doc;
    }

    private static ObjectNode operation(Route route) {
        ObjectNode op = Json.NODES.objectNode();
        op.put("operationId", route.operationId());
        op.put("summary", route.summary());
        if (route.authenticated()) {
            op.putArray("security").addObject().putArray("bearer");
        } else {
            op.putArray("security").addObject();
        }
        ArrayNode parameters = op.putArray("parameters");
        if (route.path().contains("{id}")) {
            ObjectNode id = parameters.addObject();
            id.put("name", "id");
            id.put("in", "path");
            id.put("required", true);
            id.put("description", "session id, a UUID in any letter case");
            id.putObject("schema").put("type", "string").put("format", "uuid");
        }
        for (Route.Parameter parameter : route.parameters()) {
            ObjectNode p = parameters.addObject();
            p.put("name", parameter.name());
            p.put("in", parameter.in());
            p.put("required", false);
            p.put("description", parameter.description());
            p.putObject("schema").put("type", parameter.type());
        }
        if (route.requestBody() != null) {
            ObjectNode body = op.putObject("requestBody");
            body.put("required", false);
            body.putObject("content").putObject("application/json").set("schema", route.requestBody());
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode success = responses.putObject(Integer.toString(route.status()));
        success.put("description", description(route.response()));
        switch (route.response()) {
            case NONE:
                break;
            case EVENT_STREAM:
                success.putObject("content").putObject("text/event-stream").putObject("schema").put("type",
                        "string");
                break;
            case METRICS:
                success.putObject("content").putObject("text/plain").putObject("schema").put("type", "string");
                break;
            default:
                success.putObject("content").putObject("application/json").putObject("schema")
                        .put("$ref", "#/components/schemas/" + schemaName(route.response()));
        }
        if (route.response() == Route.Response.SESSION) {
            success.putObject("headers").putObject("ETag").putObject("schema").put("type", "string");
        }
        if (route.path().endsWith("/status")) {
            responses.putObject("304").put("description", "not modified");
        }
        if (route.path().equals("/ready")) {
            responses.putObject("503").put("description", "not ready").putObject("content")
                    .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Ready");
        }
        ObjectNode problem = responses.putObject("default");
        problem.put("description", "an RFC 9457 problem");
        problem.putObject("content").putObject("application/problem+json").putObject("schema")
                .put("$ref", "#/components/schemas/Problem");
        return op;
    }

    private static String description(Route.Response response) {
        switch (response) {
            case NONE:
                return "done";
            case EVENT_STREAM:
                return "a stream of events";
            default:
                return "ok";
        }
    }

    private static String schemaName(Route.Response response) {
        switch (response) {
            case SESSION:
                return "Session";
            case STATUS:
                return "Status";
            case SESSION_PAGE:
                return "SessionPage";
            case EVENT:
                return "Event";
            case EVENT_PAGE:
                return "EventPage";
            case ME:
                return "Me";
            case STATS:
                return "Stats";
            case HEALTH:
                return "Health";
            case READY:
                return "Ready";
            default:
                return "OpenApi";
        }
    }

    private static ObjectNode components() {
        ObjectNode components = Json.NODES.objectNode();
        ObjectNode bearer = components.putObject("securitySchemes").putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("bearerFormat", "JWT");
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("Session", object("id", "string", "tenantId", "string", "ownerId", "string", "workflow",
                "string", "title", "string", "status", "string", "phase", "string", "pause", "object", "progress",
                "object", "input", "object", "result", "object", "failure", "object", "version", "integer",
                "lastEventSeq", "integer", "createdAt", "string", "updatedAt", "string", "startedAt", "string",
                "endedAt", "string"));
        schemas.set("Status", object("id", "string", "status", "string", "phase", "string", "pause", "object",
                "progress", "object", "version", "integer", "lastEventSeq", "integer", "updatedAt", "string"));
        ObjectNode sessionPage = object("nextCursor", "string");
        ((ObjectNode) sessionPage.get("properties")).putObject("items").put("type", "array").putObject("items")
                .put("$ref", "#/components/schemas/Session");
        schemas.set("SessionPage", sessionPage);
        schemas.set("Event", object("sessionId", "string", "seq", "integer", "type", "string", "at", "string",
                "data", "object", "position", "integer"));
        ObjectNode eventPage = object("nextAfter", "integer");
        ((ObjectNode) eventPage.get("properties")).putObject("items").put("type", "array").putObject("items")
                .put("$ref", "#/components/schemas/Event");
        schemas.set("EventPage", eventPage);
        ObjectNode me = object("userId", "string", "tenantId", "string");
        ((ObjectNode) me.get("properties")).putObject("roles").put("type", "array").putObject("items").put("type",
                "string");
        schemas.set("Me", me);
        schemas.set("Stats", object("countsByTenant", "object"));
        schemas.set("Health", object("status", "string"));
        schemas.set("Ready", object("status", "string", "checks", "object"));
        schemas.set("OpenApi", object("openapi", "string", "paths", "object"));
        ObjectNode problem = object("type", "string", "title", "string", "status", "integer", "detail", "string",
                "code", "string", "currentStatus", "string", "attempted", "string");
        ObjectNode props = (ObjectNode) problem.get("properties");
        for (String list : List.of("allowed", "errors", "missing", "unknown")) {
            props.putObject(list).put("type", "array").putObject("items").put("type", "string");
        }
        schemas.set("Problem", problem);
        return components;
    }

    /** @return an object schema from name/type pairs */
    static ObjectNode object(String... pairs) {
        ObjectNode schema = Json.NODES.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        for (int i = 0; i < pairs.length; i += 2) {
            properties.putObject(pairs[i]).put("type", pairs[i + 1]);
        }
        return schema;
    }

    static ObjectNode createBody() {
        return object("workflow", "string", "title", "string", "input", "object");
    }

    static ObjectNode reasonBody() {
        return object("reason", "string");
    }

    static ObjectNode answersBody() {
        ObjectNode schema = object("answers", "object");
        schema.putArray("required").add("answers");
        return schema;
    }

    static ObjectNode phaseBody() {
        ObjectNode schema = object("phase", "string");
        schema.putArray("required").add("phase");
        return schema;
    }

    static ObjectNode progressBody() {
        return object("round", "integer", "percent", "integer", "costUsdDelta", "number");
    }

    static ObjectNode questionsBody() {
        ObjectNode schema = object();
        ObjectNode items = ((ObjectNode) schema.get("properties")).putObject("questions").put("type", "array")
                .put("maxItems", 20).putObject("items");
        items.setAll(object("id", "string", "text", "string", "required", "boolean"));
        items.putArray("required").add("id").add("text");
        schema.putArray("required").add("questions");
        return schema;
    }

    static ObjectNode eventBody() {
        ObjectNode schema = object("type", "string", "data", "object");
        schema.putArray("required").add("type");
        return schema;
    }

    static ObjectNode resultBody() {
        return object("result", "object");
    }

    static ObjectNode failBody() {
        ObjectNode schema = object("code", "string", "message", "string");
        schema.putArray("required").add("code");
        return schema;
    }
}
