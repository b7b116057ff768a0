package io.segmentpress.common.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

@QuarkusTest
class SchemaMigrationsTest {

    private static final String INCLUDED = "db/changelog/changes/001-foundation.sql";

    @Inject
    DataSource dataSource;

    @Inject
    SchemaMigrations migrations;

    @Test
    void theServiceRecordedTheChangelogItStartedWithAndSkipsLiquibaseWhileNothingChanged() throws Exception {
        byte[] current = SchemaMigrations.fingerprint(SchemaMigrationsTest::resource);
        try (Connection connection = dataSource.getConnection()) {
            assertArrayEquals(current, bytes(connection, "SELECT fingerprint FROM schema_fingerprint WHERE name = 'changelog'"));
            assertEquals(count(connection, "SELECT COUNT(*) FROM DATABASECHANGELOG"),
                    count(connection, "SELECT changesets FROM schema_fingerprint WHERE name = 'changelog'"));
        }
        assertFalse(migrations.migrate(), "nothing to apply: Liquibase does not run");

        // another changelog's fingerprint (an older replica's, say): Liquibase runs, finds nothing to apply, and records this one
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            execute(connection, "UPDATE schema_fingerprint SET fingerprint = REPEAT(CHAR(0), 32) WHERE name = 'changelog'");
        }
        assertTrue(migrations.migrate());
        try (Connection connection = dataSource.getConnection()) {
            assertArrayEquals(current, bytes(connection, "SELECT fingerprint FROM schema_fingerprint WHERE name = 'changelog'"));
        }
        assertFalse(migrations.migrate());
    }

    @Test
    void aDatabaseCountsAsUpToDateOnlyWithTheSameFingerprintAndTheSameChangesets() throws Exception {
        String scratch = "sp_schema_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        byte[] fingerprint = SchemaMigrations.fingerprint(SchemaMigrationsTest::resource);
        try (Connection connection = dataSource.getConnection()) {
            String original = connection.getCatalog();
            connection.setAutoCommit(true);
            execute(connection, "CREATE DATABASE " + scratch);
            try {
                connection.setCatalog(scratch);
                assertFalse(SchemaMigrations.upToDate(connection, fingerprint), "a fresh database");
                new Liquibase(SchemaMigrations.CHANGELOG, new ClassLoaderResourceAccessor(getClass().getClassLoader()),
                        new JdbcConnection(connection)).update(new Contexts(), new LabelExpression());
                connection.setAutoCommit(true);
                assertFalse(SchemaMigrations.upToDate(connection, fingerprint), "migrated, but not recorded");

                SchemaMigrations.record(connection, fingerprint);
                assertTrue(SchemaMigrations.upToDate(connection, fingerprint));
                byte[] other = fingerprint.clone();
                other[31] ^= 1;
                assertFalse(SchemaMigrations.upToDate(connection, other), "another changelog");

                // a changeset rolled back outside the service: its row is gone
                execute(connection, "DELETE FROM DATABASECHANGELOG WHERE ID = '008-schema-fingerprint'");
                assertFalse(SchemaMigrations.upToDate(connection, fingerprint));
                SchemaMigrations.record(connection, fingerprint);
                assertTrue(SchemaMigrations.upToDate(connection, fingerprint));

                execute(connection, "DROP TABLE schema_fingerprint");
                assertFalse(SchemaMigrations.upToDate(connection, fingerprint), "no table: not up to date, and no error");
            } finally {
                connection.setCatalog(original);
                execute(connection, "DROP DATABASE IF EXISTS " + scratch);
            }
        }
    }

    @Test
    void theFingerprintCoversEveryIncludedFile() {
        byte[] current = SchemaMigrations.fingerprint(SchemaMigrationsTest::resource);
        assertArrayEquals(current, SchemaMigrations.fingerprint(SchemaMigrationsTest::resource), "stable");
        Function<String, byte[]> changedInclude = name -> {
            byte[] content = resource(name);
            if (!name.equals(INCLUDED)) {
                return content;
            }
            byte[] changed = Arrays.copyOf(content, content.length + 1);
            changed[content.length] = ' ';
            return changed;
        };
        assertFalse(Arrays.equals(current, SchemaMigrations.fingerprint(changedInclude)), "a changeset file changed");
        Function<String, byte[]> changedMaster = name -> name.equals(SchemaMigrations.CHANGELOG)
                ? (new String(resource(name), StandardCharsets.UTF_8) + "\n# a comment\n").getBytes(StandardCharsets.UTF_8)
                : resource(name);
        assertFalse(Arrays.equals(current, SchemaMigrations.fingerprint(changedMaster)), "the master changed");
        Function<String, byte[]> noIncludes = name -> "databaseChangeLog:\n  - includeAll:\n      path: db/\n".getBytes(StandardCharsets.UTF_8);
        assertFalse(Arrays.equals(SchemaMigrations.fingerprint(noIncludes), SchemaMigrations.fingerprint(noIncludes)),
                "a changelog it cannot follow never matches, so Liquibase always runs");
    }

    private static byte[] resource(String name) {
        try (InputStream in = SchemaMigrationsTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            assertTrue(rs.next(), sql);
            return rs.getBytes(1);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
