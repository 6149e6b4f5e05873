/**
 * A small hexagon that keeps every rule, with a class in every module so that no rule passes by checking
 * nothing: a pure domain, an application with ports and an in-process adapter, one adapter per technology,
 * and a bootstrap that wires them and starts Javalin.
 */
package archfixtures.compliant;
