package io.segmentpress.common.db;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Supplies the datasource when none is configured: the zero-setup default is an embedded
 * MariaDB under {@code ./data}, so {@code java -jar} and the tests work on a bare machine.
 * Any configured {@code quarkus.datasource.jdbc.url} (for example from
 * {@code QUARKUS_DATASOURCE_JDBC_URL}) wins and nothing is started.
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue configuredUrl = context.getValue(JDBC_URL);
        if (configuredUrl != null && configuredUrl.getValue() != null && !configuredUrl.getValue().isBlank()) {
            return Collections.emptyList();
        }
        if (!Boolean.parseBoolean(valueOr(context, "segmentpress.embedded-db.enabled", "true"))) {
            return Collections.emptyList();
        }
        // Only the running application needs a database; the build step must not start one.
        if (isBuildTime()) {
            return Collections.emptyList();
        }
        EmbeddedDatabase database = EmbeddedDatabase.start(
                valueOr(context, "segmentpress.embedded-db.data-dir", "data/mariadb"),
                Integer.parseInt(valueOr(context, "segmentpress.embedded-db.port", "0")),
                valueOr(context, "segmentpress.embedded-db.database", "segmentpress"));
        return Collections.singletonList(new MapBackedConfigSource("segmentpress-embedded-db", Map.of(
                JDBC_URL, database.jdbcUrl(),
                "quarkus.datasource.username", "root",
                "quarkus.datasource.password", ""), 50) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static String valueOr(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null ? fallback : value.getValue();
    }

    private static boolean isBuildTime() {
        for (StackTraceElement frame : Thread.currentThread().getStackTrace()) {
            if (frame.getClassName().startsWith("io.quarkus.deployment.")) {
                return true;
            }
        }
        return false;
    }
}
