/**
 * Breaks only the bootstrap-wires-adapters rule: a benchmark outside bootstrap builds the PostgreSQL adapter
 * itself, while bootstrap doing the same is fine.
 */
package archfixtures.adapterleak;
