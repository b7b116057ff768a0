package io.segmentpress.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The served-list migrations on a scratch database: lists served before changesets
 * 003-served-audience*, one row per segment and with the visitor id, come out as one row per list
 * pointing at an audience the service itself would look up, per site, with nothing about the
 * visitor left; and changeset 007 counts them per 15-minute period, audience and variant.
 */
@QuarkusTest
class ServedAudienceMigrationTest {

    private static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";
    /** Changesets up to 003-dirty-claim, the last one before the served lists moved. */
    private static final int BEFORE_AUDIENCES = 11;

    @Inject
    DataSource dataSource;

    @Test
    void servedListsMoveToOneRowPerListAndSharedAudiences() throws Exception {
        String scratch = "sp_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = dataSource.getConnection()) {
            String original = connection.getCatalog();
            execute(connection, "CREATE DATABASE " + scratch);
            try {
                connection.setCatalog(scratch);
                Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(getClass().getClassLoader()),
                        new JdbcConnection(connection));
                liquibase.update(BEFORE_AUDIENCES, new Contexts(), new LabelExpression());
                assertEquals(BEFORE_AUDIENCES, count(connection, "SELECT COUNT(*) FROM DATABASECHANGELOG"));
                assertEquals("003-dirty-claim", text(connection, "SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED DESC LIMIT 1"));

                servedBefore(connection, "rec_a", 1, 501, "ranked", "bargain-hunter", "stage:decision");
                servedBefore(connection, "rec_b", 1, 502, "control", "stage:decision", "bargain-hunter");
                servedBefore(connection, "rec_c", 1, 503, "ranked", "stage:awareness");
                servedBefore(connection, "rec_d", 1, null, "ranked");
                servedBefore(connection, "rec_e", 2, 601, "ranked", "bargain-hunter", "stage:decision");
                connection.setAutoCommit(true);

                liquibase.update(new Contexts(), new LabelExpression());
                connection.setAutoCommit(true);

                assertEquals(5, count(connection, "SELECT COUNT(*) FROM recommendation_served"));
                assertEquals(0, count(connection, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                        + "AND table_name = 'recommendation_served' AND column_name = 'visitor_id'"));
                assertEquals(0, count(connection, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                        + "AND table_name IN ('recommendation_served_segment', 'recommendation_served_keys_migration')"));

                long a = audienceOf(connection, "rec_a");
                assertEquals(a, audienceOf(connection, "rec_b"), "the same segments in another order and variant: one audience");
                assertNotEquals(a, audienceOf(connection, "rec_c"));
                assertNotEquals(a, audienceOf(connection, "rec_e"), "audiences belong to a site");
                assertNull(nullableAudienceOf(connection, "rec_d"), "a list without segments has no audience");
                assertEquals(3, count(connection, "SELECT COUNT(*) FROM recommendation_audience"));
                assertEquals(List.of("bargain-hunter", "stage:decision"), segmentsOf(connection, a));
                assertEquals("ranked", text(connection, "SELECT variant FROM recommendation_served WHERE rec_id = 'rec_a'"));
                assertEquals("control", text(connection, "SELECT variant FROM recommendation_served WHERE rec_id = 'rec_b'"));

                // keyed the way the service looks audiences up, so new lists join the migrated audience
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT segment_keys, keys_hash FROM recommendation_audience WHERE audience_id = ?")) {
                    statement.setLong(1, a);
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        assertEquals("bargain-hunter\nstage:decision", rs.getString(1));
                        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(
                                "bargain-hunter\nstage:decision".getBytes(StandardCharsets.UTF_8)), rs.getBytes(2));
                    }
                }

                // 007: every list counted in its 15-minute period, under its audience (0: none) and variant
                assertEquals(5, count(connection, "SELECT SUM(lists) FROM recommendation_served_count"));
                assertEquals(1, count(connection, "SELECT SUM(lists) FROM recommendation_served_count WHERE site_id = 1 AND audience_id = "
                        + a + " AND variant = 'control'"));
                assertEquals(1, count(connection, "SELECT SUM(lists) FROM recommendation_served_count WHERE site_id = 1 AND audience_id = 0"));
                assertEquals(5, count(connection, "SELECT COUNT(*) FROM recommendation_served s JOIN recommendation_served_count c "
                        + "ON c.site_id = s.site_id AND c.audience_id = COALESCE(s.audience_id, 0) AND c.variant = s.variant "
                        + "WHERE s.served_at >= c.period_start AND s.served_at < c.period_start + INTERVAL 15 MINUTE "
                        + "AND MINUTE(c.period_start) % 15 = 0 AND SECOND(c.period_start) = 0"));
            } finally {
                connection.setAutoCommit(true);
                connection.setCatalog(original);
                execute(connection, "DROP DATABASE IF EXISTS " + scratch);
            }
        }
    }

    /** A list as the service wrote it before the migration: a row with the visitor, a row per segment. */
    private static void servedBefore(Connection connection, String recId, long siteId, Integer visitorId, String variant, String... segments)
            throws SQLException {
        try (PreparedStatement served = connection.prepareStatement("INSERT INTO recommendation_served "
                + "(rec_id, site_id, visitor_id, variant, item_count, served_at) VALUES (?, ?, ?, ?, 5, NOW(3))")) {
            served.setString(1, recId);
            served.setLong(2, siteId);
            served.setObject(3, visitorId);
            served.setString(4, variant);
            served.executeUpdate();
        }
        for (String segment : segments) {
            try (PreparedStatement row = connection.prepareStatement(
                    "INSERT INTO recommendation_served_segment (rec_id, segment_key) VALUES (?, ?)")) {
                row.setString(1, recId);
                row.setString(2, segment);
                row.executeUpdate();
            }
        }
    }

    private static long audienceOf(Connection connection, String recId) throws SQLException {
        Long audience = nullableAudienceOf(connection, recId);
        if (audience == null) {
            throw new AssertionError(recId + " has no audience");
        }
        return audience;
    }

    private static Long nullableAudienceOf(Connection connection, String recId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT audience_id FROM recommendation_served WHERE rec_id = ?")) {
            statement.setString(1, recId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? null : id;
            }
        }
    }

    private static List<String> segmentsOf(Connection connection, long audienceId) throws SQLException {
        List<String> segments = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT segment_key FROM recommendation_audience_segment WHERE audience_id = ? ORDER BY segment_key")) {
            statement.setLong(1, audienceId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    segments.add(rs.getString(1));
                }
            }
        }
        return segments;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        return Long.parseLong(text(connection, sql));
    }

    private static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
