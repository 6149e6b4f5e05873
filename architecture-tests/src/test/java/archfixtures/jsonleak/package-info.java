/**
 * Breaks the JSON rule: the domain keeps input as a Jackson tree and the application serialises events with
 * Jackson, while the HTTP adapter using Jackson is fine.
 *
 * <p>No fixture can break the JSON rule alone: its subjects are the domain and the application, whose own rules
 * admit no JSON library either. It stays a rule of its own so that the reason is stated where it matters, and
 * so that it keeps holding if those rules are ever widened.
 */
package archfixtures.jsonleak;
