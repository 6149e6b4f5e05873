package dev.phaseline.adapters.http;

import io.javalin.http.Context;
import java.util.Set;

/**
 * CORS exactly as the contract says: an allowed origin is echoed with credentials on every response (set before
 * any handler runs, so streams and problems carry it too); a preflight answers 204; any other origin gets no CORS
 * header at all.
 */
final class Cors {

    static final String ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
    static final String ALLOW_HEADERS =
            "Authorization, Content-Type, If-Match, If-None-Match, Last-Event-ID, Idempotency-Key";
    static final String EXPOSE_HEADERS = "ETag, Location";
    static final String MAX_AGE = "600";

    private final Set<String> origins;

    Cors(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    /** Adds the headers; answers a preflight itself. */
    void before(Context ctx) {
        String origin = ctx.header("Origin");
        boolean allowed = origin != null && origins.contains(origin);
        ctx.header("Vary", "Origin");
        if (allowed) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Access-Control-Allow-Credentials", "true");
            ctx.header("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        }
        if ("OPTIONS".equals(ctx.req().getMethod())) {
            if (allowed) {
                ctx.header("Access-Control-Allow-Methods", ALLOW_METHODS);
                ctx.header("Access-Control-Allow-Headers", ALLOW_HEADERS);
                ctx.header("Access-Control-Max-Age", MAX_AGE);
            }
            ctx.status(204);
            ctx.skipRemainingHandlers();
        }
    }
}
