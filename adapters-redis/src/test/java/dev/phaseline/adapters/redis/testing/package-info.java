/**
 * Test support shipped in the adapter's test-jar: a real {@code redis-server} process for tests of this module and
 * of the modules that run against Redis.
 */
package dev.phaseline.adapters.redis.testing;
