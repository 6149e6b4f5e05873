package dev.phaseline.application;

import dev.phaseline.domain.JsonValue;

/**
 * Create a session owned by the calling principal, in its tenant. User or admin.
 *
 * @param workflow the workflow, or {@code null} for {@code default}
 * @param title    a title, or {@code null}
 * @param input    the input, or {@code null} for {@code {}}
 */
public record CreateSession(String workflow, String title, JsonValue.JsonObject input) {
}
