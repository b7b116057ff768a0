package io.segmentpress.common.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.liquibase.LiquibaseFactory;
import io.quarkus.runtime.StartupEvent;
import io.segmentpress.common.Hashes;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;

/**
 * Brings the schema up to date when the service starts, before anything else runs and before the
 * HTTP server takes requests (StartupEvent observers run first; this one before every other).
 *
 * <p>Liquibase itself takes about a second of every start, mostly loading its own classes, even
 * when there is nothing to apply. So each successful migration records a fingerprint of the whole
 * changelog (every file, in order) and how many changesets the database then counts; a start that
 * finds the same fingerprint and the same count — this exact changelog applied, no changeset row
 * added or removed since — has nothing to apply and does not start Liquibase. Anything else (a
 * new or changed changeset, a fresh database, rows removed by a rollback, an older replica's
 * fingerprint) runs Liquibase as usual: lock, validate, update.
 *
 * <p>Liquibase's anonymous usage analytics are switched off for the run: the service sends
 * nothing anywhere its operator did not configure, and does not wait for a network call while
 * starting.
 */
@ApplicationScoped
public class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);
    static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";
    private static final String NAME = "changelog";
    private static final Pattern INCLUDE = Pattern.compile("^\\s*file:\\s*(\\S+)\\s*$", Pattern.MULTILINE);

    @Inject
    DataSource dataSource;

    @Inject
    Instance<LiquibaseFactory> liquibase;

    @ConfigProperty(name = "segmentpress.migrate-at-start", defaultValue = "true")
    boolean migrateAtStart;

    void onStart(@Observes @Priority(Integer.MIN_VALUE) StartupEvent event) {
        if (migrateAtStart) {
            migrate();
        }
    }

    /** Applies what the database lacks; returns whether Liquibase had to run. */
    public boolean migrate() {
        byte[] fingerprint = fingerprint(SchemaMigrations::resource);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (upToDate(connection, fingerprint)) {
                LOG.debug("schema up to date (changelog fingerprint and changeset count unchanged)");
                return false;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("checking the schema failed", e);
        }
        long started = System.nanoTime();
        runLiquibase();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            record(connection, fingerprint);
        } catch (SQLException e) {
            // the schema is up to date all the same; the next start runs Liquibase again and records it then
            LOG.warnf("the schema is migrated, but its fingerprint could not be recorded: %s", e.getMessage());
        }
        LOG.infof("schema migrated in %d ms", (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    private void runLiquibase() {
        LiquibaseFactory factory = liquibase.get();
        try {
            Scope.child(Map.of("liquibase.analytics.enabled", false), () -> {
                try (Liquibase migration = factory.createLiquibase()) {
                    LockService lock = LockServiceFactory.getInstance().getLockService(migration.getDatabase());
                    lock.waitForLock();
                    try {
                        migration.validate();
                        migration.update(factory.createContexts(), factory.createLabels());
                    } finally {
                        lock.releaseLock();
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("migrating the schema failed: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the database recorded this fingerprint and still counts as many changesets as it
     * did then. False, not an error, on a database without the fingerprint table.
     */
    static boolean upToDate(Connection connection, byte[] fingerprint) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT f.fingerprint, f.changesets, (SELECT COUNT(*) FROM DATABASECHANGELOG) FROM schema_fingerprint f WHERE f.name = ?")) {
            statement.setString(1, NAME);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && Arrays.equals(rs.getBytes(1), fingerprint) && rs.getLong(2) == rs.getLong(3);
            }
        } catch (SQLException e) {
            return false; // a database Liquibase has not set up yet
        }
    }

    /** Records a successful migration: the fingerprint and the changesets the database counts now. */
    static void record(Connection connection, byte[] fingerprint) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO schema_fingerprint (name, fingerprint, changesets, recorded_at) "
                + "SELECT ?, ?, COUNT(*), UTC_TIMESTAMP(3) FROM DATABASECHANGELOG ON DUPLICATE KEY UPDATE "
                + "fingerprint = VALUES(fingerprint), changesets = VALUES(changesets), recorded_at = VALUES(recorded_at)")) {
            statement.setString(1, NAME);
            statement.setBytes(2, fingerprint);
            statement.executeUpdate();
        }
    }

    /**
     * SHA-256 over the master changelog and every file it includes, in order, each preceded by its
     * name and length. A master that includes nothing this reads (another include form) gets a
     * fingerprint of its own text and a random part, so it never matches and Liquibase always runs.
     */
    static byte[] fingerprint(Function<String, byte[]> resources) {
        MessageDigest digest = Hashes.sha256();
        byte[] master = resources.apply(CHANGELOG);
        add(digest, CHANGELOG, master);
        List<String> includes = new ArrayList<>();
        Matcher matcher = INCLUDE.matcher(new String(master, StandardCharsets.UTF_8));
        while (matcher.find()) {
            includes.add(matcher.group(1));
        }
        if (includes.isEmpty()) {
            digest.update(java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
        }
        for (String include : includes) {
            add(digest, include, resources.apply(include));
        }
        return digest.digest();
    }

    private static void add(MessageDigest digest, String name, byte[] content) {
        digest.update((name + "\n" + content.length + "\n").getBytes(StandardCharsets.UTF_8));
        digest.update(content);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("changelog file " + name + " is missing from the application");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
