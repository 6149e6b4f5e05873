package dev.phaseline.application;

import dev.phaseline.domain.SessionId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest version of each session this node has seen committed — by its own commands, by events from the bus, or
 * by a read of the store. Only this process writes it, so unlike the live-state cache it cannot be planted or lag
 * behind this node's own writes. A cached state is served only when its version equals the version known here;
 * anything else (no knowledge, an older entry, a "newer" entry nobody here saw committed) is read from the store.
 *
 * <p>Bounded: past its capacity it forgets everything, which only sends reads back to the store.
 */
final class KnownVersions {

    static final int DEFAULT_CAPACITY = 200_000;

    private final Map<SessionId, Long> versions = new ConcurrentHashMap<>();
    private final int capacity;

    KnownVersions(int capacity) {
        this.capacity = capacity;
    }

    void saw(SessionId id, long version) {
        if (versions.size() >= capacity) {
            versions.clear();
        }
        versions.merge(id, version, Math::max);
    }

    /**
     * Forgets everything, when this node may have missed commits of other nodes (its bus lost its connection): until a
     * read of the store tells it again, no cached entry is served, since an entry left from before the gap could be
     * older than a commit this node never heard of.
     */
    void forgetAll() {
        versions.clear();
    }

    /** @return the newest version seen, or {@code -1} when none */
    long newest(SessionId id) {
        Long version = versions.get(id);
        return version == null ? -1 : version;
    }
}
