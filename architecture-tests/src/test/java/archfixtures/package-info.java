/**
 * Fixtures for the architecture self-tests. Each subpackage is a root laid out like {@code dev.phaseline}
 * ({@code <root>.domain}, {@code <root>.application}, {@code <root>.adapters.postgres}, …): {@code compliant}
 * keeps every rule, and each other root breaks the rules named in its own {@code package-info.java}.
 *
 * <p>The classes are never run. They use their libraries for real (fields, parameters, calls, annotations),
 * because ArchUnit sees only the bytecode and an unused import leaves none.
 */
package archfixtures;
