/**
 * The contract suites of the outbound ports, shipped in this module's test-jar:
 * {@link dev.phaseline.application.contract.SessionStoreContract},
 * {@link dev.phaseline.application.contract.EventLogContract},
 * {@link dev.phaseline.application.contract.LiveStateCacheContract} and
 * {@link dev.phaseline.application.contract.EventBusContract}. Every implementation of a port — in memory, in
 * process, PostgreSQL, Redis — runs the same suite unchanged by extending it and supplying fresh instances.
 *
 * <p>The suites use only the port interfaces and the domain; they never assume a particular implementation.
 */
package dev.phaseline.application.contract;
