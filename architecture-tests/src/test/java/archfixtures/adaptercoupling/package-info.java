/**
 * Breaks only the adapter-independence rule: the Redis cache reads through to the PostgreSQL adapter on a miss
 * instead of going through the application.
 */
package archfixtures.adaptercoupling;
