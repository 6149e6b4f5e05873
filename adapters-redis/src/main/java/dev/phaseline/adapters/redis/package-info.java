/**
 * The Redis adapter: a version-guarded {@link dev.phaseline.application.port.LiveStateCache} and a cross-node
 * {@link dev.phaseline.application.port.EventBus}, for running several nodes against one PostgreSQL. Neither holds
 * anything that PostgreSQL does not: entries may expire or be flushed, and a lost bus message is refilled from the
 * durable log.
 *
 * <p>{@link dev.phaseline.adapters.redis.RedisAdapter} starts it from
 * {@link dev.phaseline.adapters.redis.RedisSettings}. Commands fail fast while Redis is unreachable (rejected at
 * once while disconnected, a short timeout otherwise), and the connections reconnect by themselves.
 *
 * <p>May depend on {@code dev.phaseline.domain}, {@code dev.phaseline.application} (its ports), Lettuce and SLF4J.
 * No Lettuce type crosses the public API or a port: failures become
 * {@link dev.phaseline.adapters.redis.RedisUnavailableException}. Nothing may depend on this package except
 * {@code bootstrap} and embedders.
 */
package dev.phaseline.adapters.redis;
