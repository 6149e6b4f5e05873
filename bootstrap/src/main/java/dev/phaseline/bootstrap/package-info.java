/**
 * Configuration, wiring, the runnable server and the embedding builder: the one composition root of Phaseline.
 * Only this package knows every adapter; it reads {@code PHASELINE_*} variables once, builds the adapters and the
 * application core, and hands them to each other. The demo worker lives here too, but uses only the application's
 * inbound API, as any embedder's worker would.
 */
package dev.phaseline.bootstrap;
