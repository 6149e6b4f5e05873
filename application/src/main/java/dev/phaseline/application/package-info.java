/**
 * The inbound API that embedders and adapters call — {@link dev.phaseline.application.SessionCommands},
 * {@link dev.phaseline.application.SessionQueries}, {@link dev.phaseline.application.SessionSubscriptions} — with
 * their command and query records, the package-private services behind them, and
 * {@link dev.phaseline.application.PhaselineCore}, the one entry point that builds them.
 *
 * <p>Authorization is decided here, not in a web handler: a session the principal may not see is
 * {@link dev.phaseline.application.SessionNotFoundException not found}; a visible one whose action the principal's
 * roles lack is {@link dev.phaseline.application.ForbiddenException forbidden}.
 *
 * <p>May depend on {@code dev.phaseline.domain}, {@code java.*} (not {@code java.sql}, {@code javax.sql},
 * {@code java.net.http}) and SLF4J; never on an adapter, a framework or a JSON library.
 */
package dev.phaseline.application;
