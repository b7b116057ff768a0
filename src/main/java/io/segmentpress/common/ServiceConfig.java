package io.segmentpress.common;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings shared by the whole service. */
@ConfigMapping(prefix = "segmentpress")
public interface ServiceConfig {

    /** The operator's bearer token for site administration; when absent, /v1/sites refuses every call. */
    Optional<String> adminToken();

    Clock clock();

    Keys keys();

    interface Clock {
        /** Lets tests move time forward. Never enable in production. */
        @WithDefault("false")
        boolean adjustable();
    }

    interface Keys {
        /** How long a rotated key keeps working unless rotated with {@code immediately=true}. */
        @WithDefault("PT24H")
        Duration rotationGrace();

        /** How long a replica may trust a key look-up before reading it again (revocations reach other replicas within this time). */
        @WithDefault("PT30S")
        Duration cacheTtl();
    }
}
