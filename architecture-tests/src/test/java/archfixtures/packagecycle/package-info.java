/**
 * Breaks only the cycle rule: the outbound port takes a query record that lives in the application package,
 * which itself uses the port.
 */
package archfixtures.packagecycle;
