package dev.phaseline.domain;

import java.util.List;
import java.util.Optional;

/**
 * The phase order a workflow declares. With an order, a session may only move forward along it (skipping is
 * allowed, going back or repeating is not) and only into declared phases; {@link #ANY} allows every change.
 *
 * @param phases the declared phases in order; empty means no order is declared
 */
public record PhaseOrder(List<Phase> phases) {

    /** No declared order: any phase may follow any other. */
    public static final PhaseOrder ANY = new PhaseOrder(List.of());

    /** Copies the phases and refuses duplicates. */
    public PhaseOrder {
        phases = List.copyOf(phases);
        if (phases.stream().distinct().count() != phases.size()) {
            throw new IllegalArgumentException("a phase order names each phase once: " + phases);
        }
    }

    /**
     * @param phases the declared phases, in order
     * @return the order
     */
    public static PhaseOrder of(Phase... phases) {
        return new PhaseOrder(List.of(phases));
    }

    /**
     * @param from the current phase, or {@code null} when the session has none yet
     * @param to   the requested phase
     * @return whether the order allows moving from {@code from} to {@code to}
     */
    public boolean allows(Phase from, Phase to) {
        if (phases.isEmpty()) {
            return true;
        }
        int target = phases.indexOf(to);
        if (target < 0) {
            return false;
        }
        return from == null || target > phases.indexOf(from);
    }

    /**
     * @param from the current phase, or {@code null}
     * @return the phases the order allows next, for error messages; empty when no order is declared
     */
    public List<Phase> next(Phase from) {
        int current = Optional.ofNullable(from).map(phases::indexOf).orElse(-1);
        return phases.subList(current + 1, phases.size());
    }
}
