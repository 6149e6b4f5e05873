/**
 * Deliberately broken port implementations, each missing one behaviour, and the contract suites bound to them
 * ({@code Broken…Case}). They are not tests of their own — their names keep Surefire from running them — but
 * {@code ContractsCatchBrokenImplementationsTest} runs them to show that the suites fail an implementation that lacks
 * a behaviour.
 */
package dev.phaseline.application.contract.broken;
