/**
 * Breaks only the application rule: application classes use JDBC ({@code javax.sql}, {@code java.sql}), the
 * JDK's HTTP client and a framework (Micrometer), while a neighbour that uses only the domain, the JDK and slf4j
 * is fine.
 */
package archfixtures.applicationleak;
