/**
 * Configuration, wiring, the runnable server and the embedding builder: the one composition root of Phaseline.
 * Only this package knows every adapter; it reads {@code PHASELINE_*} variables once, builds the adapters and the
 * application core, and hands them to each other.
 */
package dev.phaseline.bootstrap;
