/**
 * The session lifecycle as pure Java: values, the transition table, commands as methods of the immutable
 * {@link dev.phaseline.domain.Session}, and the sealed {@link dev.phaseline.domain.SessionEvent} hierarchy.
 *
 * <p>This package may depend on {@code java.lang}, {@code java.util}, {@code java.time} and {@code java.math}
 * only: no framework, no JSON library, no I/O. Time and ids come in from outside; nothing here reads a clock
 * or draws a random number.
 */
package dev.phaseline.domain;
