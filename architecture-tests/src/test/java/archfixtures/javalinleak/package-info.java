/**
 * Breaks only the Javalin rule: the Redis adapter writes to SSE clients itself, while the HTTP adapter's routes
 * and bootstrap's server are fine.
 */
package archfixtures.javalinleak;
