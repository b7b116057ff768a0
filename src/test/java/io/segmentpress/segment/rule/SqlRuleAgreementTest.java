package io.segmentpress.segment.rule;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.TestSites;
import io.segmentpress.common.DbTime;
import io.segmentpress.common.Json;

/**
 * The two evaluation paths — in memory over a visitor's facts, and in SQL over the stored rows —
 * must select exactly the same visitors, for random rules over random visitors in several time
 * zones. A failure prints the seed; replay it with {@code -Drule.seed=...}.
 */
@QuarkusTest
class SqlRuleAgreementTest {

    static final long SEED = Long.getLong("rule.seed", 7_2026_0615L);
    static final Instant NOW = Instant.parse("2026-06-15T12:00:00.123Z");
    static final int VISITORS_PER_SITE = 40;
    static final int RULES_PER_SITE = 80;

    @Inject
    DataSource dataSource;

    @Inject
    SqlRuleEvaluator sqlEvaluator;

    @Test
    void inMemoryAndSqlEvaluationSelectTheSameVisitors() throws SQLException {
        int rulesChecked = 0;
        int nonTrivial = 0;
        for (int z = 0; z < RandomVisitors.ZONES.size(); z++) {
            ZoneId zone = RandomVisitors.ZONES.get(z);
            long seed = SEED + z;
            Random random = new Random(seed);
            long siteId = TestSites.create(zone.getId()).id();
            RandomVisitors generator = new RandomVisitors(random, NOW, zone);
            Map<Long, Facts> visitors = new LinkedHashMap<>();
            long started = System.nanoTime();
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                for (int v = 0; v < VISITORS_PER_SITE; v++) {
                    RandomVisitors.Visitor visitor = generator.next();
                    long visitorId = store(connection, siteId, visitor, "s" + seed + "v" + v);
                    visitors.put(visitorId, visitor.facts(NOW, zone));
                }
                connection.commit();
            }
            long stored = System.nanoTime();
            RandomRules rules = new RandomRules(random, 4);
            for (int r = 0; r < RULES_PER_SITE; r++) {
                JsonNode json = rules.next();
                SegmentRule rule = SegmentRule.parse(json);
                Set<Long> inMemory = new TreeSet<>();
                visitors.forEach((id, facts) -> {
                    if (rule.matches(facts)) {
                        inMemory.add(id);
                    }
                });
                Set<Long> inSql = new TreeSet<>(sqlEvaluator.matchingVisitors(siteId, rule, NOW, zone));
                if (!inMemory.equals(inSql)) {
                    Set<Long> differing = new HashSet<>(inMemory);
                    differing.addAll(inSql);
                    Set<Long> both = new HashSet<>(inMemory);
                    both.retainAll(inSql);
                    differing.removeAll(both);
                    Long example = differing.iterator().next();
                    fail("seed " + seed + " (zone " + zone + "), rule " + json + "\nin memory: " + inMemory + "\nin SQL:    " + inSql
                            + "\nvisitor " + example + ": " + describe(visitors.get(example)));
                }
                rulesChecked++;
                if (!inMemory.isEmpty() && inMemory.size() < visitors.size()) {
                    nonTrivial++;
                }
            }
            System.out.printf("zone %s: stored %d visitors in %d ms, evaluated %d rules both ways in %d ms%n", zone, visitors.size(),
                    (stored - started) / 1_000_000, RULES_PER_SITE, (System.nanoTime() - stored) / 1_000_000);
        }
        assertTrue(rulesChecked >= 400);
        assertTrue(nonTrivial >= rulesChecked / 4, "most rules should split the visitors: " + nonTrivial + " of " + rulesChecked);
    }

    private static String describe(Facts facts) {
        StringBuilder text = new StringBuilder("stage " + facts.stage() + ", segments " + facts.segments() + ", traits " + facts.traits());
        for (EventFact event : facts.events()) {
            text.append("\n  ").append(event);
        }
        return text.toString();
    }

    private static long store(Connection connection, long siteId, RandomVisitors.Visitor visitor, String messagePrefix) throws SQLException {
        long visitorId;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO visitor (site_id, created_at) VALUES (?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setLong(1, siteId);
            insert.setString(2, DbTime.format(NOW));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                visitorId = keys.getLong(1);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO event (site_id, visitor_id, message_id, type, name, "
                + "occurred_at, received_at, post_id, order_id, revenue, engaged_seconds, properties, traits) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            int n = 0;
            for (RandomVisitors.StoredEvent event : visitor.events()) {
                insert.setLong(1, siteId);
                insert.setLong(2, visitorId);
                insert.setString(3, messagePrefix + "e" + n++);
                insert.setString(4, event.type());
                insert.setString(5, event.name());
                insert.setString(6, DbTime.format(event.occurredAt()));
                insert.setString(7, DbTime.format(NOW));
                insert.setObject(8, event.postId(), Types.BIGINT);
                insert.setString(9, event.orderId());
                insert.setBigDecimal(10, event.revenue());
                insert.setObject(11, event.engagedSeconds(), Types.INTEGER);
                insert.setString(12, event.properties() == null ? null : Json.write(event.properties()));
                insert.setString(13, event.traits() == null ? null : Json.write(event.traits()));
                insert.addBatch(); // executed in order, so ids follow the visitor's event order
            }
            insert.executeBatch();
        }
        if (visitor.stage() != null) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO visitor_profile (visitor_id, site_id, stage, computed_at) VALUES (?, ?, ?, ?)")) {
                insert.setLong(1, visitorId);
                insert.setLong(2, siteId);
                insert.setString(3, visitor.stage());
                insert.setString(4, DbTime.format(NOW));
                insert.executeUpdate();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO segment_membership (site_id, segment_key, visitor_id, since) VALUES (?, ?, ?, ?)")) {
            for (String key : visitor.memberships()) {
                insert.setLong(1, siteId);
                insert.setString(2, key);
                insert.setLong(3, visitorId);
                insert.setString(4, DbTime.format(NOW));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return visitorId;
    }
}
