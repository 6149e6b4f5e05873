/**
 * Outbound ports: what the application needs from the outside world, named for what it does. Adapters implement
 * them for a technology ({@code PostgresSessionStore}, {@code RedisLiveStateCache}, …), and every implementation
 * passes the same contract suite from this module's test-jar ({@code SessionStoreContract}, …).
 *
 * <p>Port types depend only on {@code dev.phaseline.domain} and {@code java.*}. No technology exception crosses a
 * port: adapters translate their failures into {@link dev.phaseline.application.port.StoreUnavailableException},
 * {@link dev.phaseline.application.port.VersionConflictException} or an unchecked exception that the application
 * treats as a failure of that port.
 */
package dev.phaseline.application.port;
