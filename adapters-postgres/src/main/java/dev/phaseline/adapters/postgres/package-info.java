/**
 * The PostgreSQL adapter: the durable {@link dev.phaseline.application.port.SessionStore} and
 * {@link dev.phaseline.application.port.EventLog}, PostgreSQL being the source of truth.
 *
 * <p>{@link dev.phaseline.adapters.postgres.PostgresAdapter} starts it: a HikariCP pool, Flyway migrations from
 * {@code db/migration} at startup, and Hibernate (bootstrapped without a container) with schema validation, so a
 * model/schema drift or a missing migration stops startup instead of failing the first query. JPA entities and
 * their mapper are adapter types; the domain knows nothing of them.
 *
 * <p>May depend on {@code dev.phaseline.domain}, {@code dev.phaseline.application} (its ports), Hibernate, Jakarta
 * Persistence, Flyway, HikariCP and the PostgreSQL driver. None of these technologies' types or exceptions crosses a
 * port: failures become {@link dev.phaseline.application.port.StoreUnavailableException} or
 * {@link dev.phaseline.application.port.VersionConflictException}. Nothing may depend on this package except
 * {@code bootstrap} and embedders.
 */
package dev.phaseline.adapters.postgres;
