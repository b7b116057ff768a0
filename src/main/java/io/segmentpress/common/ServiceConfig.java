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

    /** The zero-setup database, used only when no datasource URL is configured. */
    EmbeddedDb embeddedDb();

    interface Clock {
        /** Lets tests move time forward. Never enable in production. */
        @WithDefault("false")
        boolean adjustable();
    }

    interface Keys {
        /** How long a rotated key keeps working unless rotated with {@code immediately=true}. */
        @WithDefault("PT24H")
        Duration rotationGrace();

    }

    interface EmbeddedDb {
        /** Start an embedded MariaDB when QUARKUS_DATASOURCE_JDBC_URL is not set. */
        @WithDefault("true")
        boolean enabled();

        /** Where the embedded database keeps its files. */
        @WithDefault("data/mariadb")
        String dataDir();

        /** Its port; 0 picks a free one. */
        @WithDefault("0")
        int port();

        /** The database (schema) the service uses in it. */
        @WithDefault("segmentpress")
        String database();
    }
}
