/**
 * The HTTP adapter: REST and Server-Sent Events on Javalin, per the HTTP API contract.
 *
 * <p>Role: authenticate callers (HS256 JWT), translate requests into the application's inbound API
 * ({@code SessionCommands}, {@code SessionQueries}, {@code SessionSubscriptions}) and its results and errors into
 * JSON, RFC 9457 problems and event streams; serve health, readiness, metrics and the OpenAPI document; apply CORS.
 * Authorization is decided by the application; this package only maps its errors.
 *
 * <p>May depend on {@code dev.phaseline.application} and {@code dev.phaseline.domain}, Javalin (and the Jetty and
 * servlet API it brings), Jackson, nimbus-jose-jwt, Micrometer and SLF4J. Never on another adapter: readiness of
 * the store, the cache and migrations comes in as plain {@link java.util.function.BooleanSupplier}s.
 *
 * <p>Entry points: {@link dev.phaseline.adapters.http.HttpApi}, {@link dev.phaseline.adapters.http.HttpSettings},
 * {@link dev.phaseline.adapters.http.TokenIssuer} and
 * {@link dev.phaseline.adapters.http.MicrometerApplicationMetrics}.
 */
package dev.phaseline.adapters.http;
