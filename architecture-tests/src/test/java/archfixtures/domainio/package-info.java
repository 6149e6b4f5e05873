/** Breaks only the domain rule: a domain class reads a file through {@code java.nio.file}. */
package archfixtures.domainio;
