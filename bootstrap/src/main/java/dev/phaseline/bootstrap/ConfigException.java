package dev.phaseline.bootstrap;

/** A configuration value is missing or malformed. Its message is one line that names the variable. */
public final class ConfigException extends RuntimeException {

    private final String variable;

    /**
     * @param variable the environment variable, e.g. {@code PHASELINE_CACHE_TTL}
     * @param problem  what is wrong with its value
     */
    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    /** @return the variable at fault */
    public String variable() {
        return variable;
    }
}
