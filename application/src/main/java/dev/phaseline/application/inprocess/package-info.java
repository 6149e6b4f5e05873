/**
 * The production cache and bus of a single node: {@link dev.phaseline.application.inprocess.InProcessLiveStateCache}
 * and {@link dev.phaseline.application.inprocess.InProcessEventBus}. They pass the same contract suites as the Redis
 * adapters, which replace them when several nodes share one store.
 *
 * <p>May depend on {@code dev.phaseline.application.port}, the domain, {@code java.*} and SLF4J.
 */
package dev.phaseline.application.inprocess;
