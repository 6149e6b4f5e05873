package dev.phaseline.application.contract.broken;

import dev.phaseline.application.contract.LiveStateCacheContract;
import dev.phaseline.application.port.LiveStateCache;

/** The cache contract run against a cache that lets an older version replace a newer one. */
public class BrokenVersionGuardCacheCase extends LiveStateCacheContract {

    @Override
    protected LiveStateCache newCache() {
        return new VersionBlindCache();
    }
}
