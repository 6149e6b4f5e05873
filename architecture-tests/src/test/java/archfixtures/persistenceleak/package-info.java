/**
 * Breaks only the persistence rule: JPA, Hibernate, Flyway and HikariCP show up in the HTTP adapter and in
 * bootstrap, while the JPA entity in the PostgreSQL adapter is fine.
 */
package archfixtures.persistenceleak;
