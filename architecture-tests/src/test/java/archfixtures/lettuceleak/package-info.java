/**
 * Breaks only the Lettuce rule: bootstrap parses the Redis URL with Lettuce and the HTTP adapter pings Redis for
 * its readiness check, while the cache in the Redis adapter is fine.
 */
package archfixtures.lettuceleak;
