package io.segmentpress.visitor;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.Json;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.BuiltInSegment;
import io.segmentpress.segment.SegmentEvidence;
import io.segmentpress.segment.rule.EventFact;
import io.segmentpress.segment.rule.Metrics;
import io.segmentpress.segment.rule.SegmentKeys;
import io.segmentpress.visitor.VisitorApi.Interest;
import io.segmentpress.visitor.VisitorApi.Membership;
import io.segmentpress.visitor.VisitorApi.Rfm;
import io.segmentpress.visitor.VisitorApi.VisitorSegments;
import io.segmentpress.visitor.VisitorApi.VisitorView;

/**
 * Reads visitors: finding one by the ids a site knows, its profile with segments and evidence,
 * and the segment keys of an anonymous id. Every query is scoped to the calling site, so
 * another site's visitor looks exactly like one that does not exist.
 */
@ApplicationScoped
public class VisitorService {

    static final String ANON = "anon";
    static final String USER = "user";

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    /** The visitor an anonymousId or a userId (exactly one of them) belongs to. */
    public Optional<VisitorView> findByExternalId(long siteId, String userId, String anonymousId) {
        boolean byUser = userId != null && !userId.isEmpty();
        boolean byAnon = anonymousId != null && !anonymousId.isEmpty();
        if (byUser == byAnon) {
            throw ApiException.badRequest(byUser ? "anonymousId" : "userId", "give exactly one of userId or anonymousId");
        }
        try (Connection connection = dataSource.getConnection()) {
            Optional<Long> visitorId = visitorOf(connection, siteId, byUser ? USER : ANON, byUser ? userId : anonymousId);
            return visitorId.isEmpty() ? Optional.empty() : profile(connection, siteId, visitorId.get());
        } catch (SQLException e) {
            throw new IllegalStateException("visitor could not be read", e);
        }
    }

    /** The visitor's profile, memberships with evidence and stage. */
    public Optional<VisitorView> profile(long siteId, long visitorId) {
        try (Connection connection = dataSource.getConnection()) {
            return profile(connection, siteId, visitorId);
        } catch (SQLException e) {
            throw new IllegalStateException("visitor could not be read", e);
        }
    }

    /**
     * The segment keys of the visitor an anonymousId belongs to. An id the site has never seen
     * is a newcomer: in the awareness stage and no segment.
     */
    public VisitorSegments segmentsOfAnonymousId(long siteId, String anonymousId) {
        List<String> keys = new ArrayList<>();
        String stage = null;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT m.segment_key FROM visitor_identity i "
                        + "JOIN segment_membership m ON m.visitor_id = i.visitor_id AND m.site_id = i.site_id "
                        + "WHERE i.site_id = ? AND i.kind = ? AND i.external_id = ? ORDER BY m.segment_key")) {
            select.setLong(1, siteId);
            select.setString(2, ANON);
            select.setString(3, anonymousId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    keys.add(key);
                    if (key.startsWith(SegmentKeys.STAGE_PREFIX)) {
                        stage = key;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("visitor segments could not be read", e);
        }
        if (stage == null) {
            stage = SegmentKeys.DEFAULT_STAGE;
            keys.add(stage);
        }
        return new VisitorSegments(List.copyOf(keys), stage);
    }

    static Optional<Long> visitorOf(Connection connection, long siteId, String kind, String externalId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT visitor_id FROM visitor_identity WHERE site_id = ? AND kind = ? AND external_id = ?")) {
            select.setLong(1, siteId);
            select.setString(2, kind);
            select.setString(3, externalId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
    }

    static boolean exists(Connection connection, long siteId, long visitorId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM visitor WHERE id = ? AND site_id = ?")) {
            select.setLong(1, visitorId);
            select.setLong(2, siteId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    Optional<VisitorView> profile(Connection connection, long siteId, long visitorId) throws SQLException {
        if (!exists(connection, siteId, visitorId)) {
            return Optional.empty();
        }
        String userId = null;
        List<String> anonymousIds = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, external_id FROM visitor_identity WHERE visitor_id = ? AND site_id = ? ORDER BY created_at, external_id")) {
            select.setLong(1, visitorId);
            select.setLong(2, siteId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (USER.equals(rows.getString(1))) {
                        userId = rows.getString(2);
                    } else {
                        anonymousIds.add(rows.getString(2));
                    }
                }
            }
        }
        List<Membership> memberships = memberships(connection, siteId, visitorId);
        String stage = memberships.stream().map(Membership::key).filter(k -> k.startsWith(SegmentKeys.STAGE_PREFIX)).findFirst().orElse(null);
        try (PreparedStatement select = connection.prepareStatement("SELECT first_seen, last_seen, sessions, page_views, active_days_30, "
                + "engaged_seconds, orders, revenue, average_order_value, last_order_at, rfm_r, rfm_f, rfm_m, rfm_cell, rfm_evidence, stage, "
                + "interests, computed_at FROM visitor_profile WHERE visitor_id = ? AND site_id = ?")) {
            select.setLong(1, visitorId);
            select.setLong(2, siteId);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    Rfm rfm = rows.getString(14) == null && rows.getString(15) == null ? null
                            : new Rfm(integer(rows, 11), integer(rows, 12), integer(rows, 13), rows.getString(14), rows.getString(15));
                    return Optional.of(new VisitorView(visitorId, userId, anonymousIds, instant(rows, 1), instant(rows, 2), rows.getInt(3),
                            rows.getInt(4), rows.getInt(5), rows.getLong(6), rows.getInt(7), rows.getBigDecimal(8), rows.getBigDecimal(9),
                            instant(rows, 10), rfm, interests(rows.getString(17)), memberships, stage != null ? stage : rows.getString(16),
                            instant(rows, 18)));
                }
            }
        }
        return Optional.of(fromEvents(connection, siteId, visitorId, userId, anonymousIds, memberships, stage));
    }

    /** Figures straight from the events, for a visitor the segment engine has not profiled yet. */
    private VisitorView fromEvents(Connection connection, long siteId, long visitorId, String userId, List<String> anonymousIds,
            List<Membership> memberships, String stage) throws SQLException {
        ZoneId zone = siteZone(connection, siteId);
        List<EventFact> events = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT type, name, occurred_at, post_id, revenue, engaged_seconds, "
                + "order_id FROM event WHERE visitor_id = ? AND site_id = ? ORDER BY occurred_at, id")) {
            select.setLong(1, visitorId);
            select.setLong(2, siteId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    JsonNode properties = rows.getString(7) == null ? null : Json.MAPPER.createObjectNode().put("order_id", rows.getString(7));
                    events.add(new EventFact(rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant(),
                            (Long) rows.getObject(4, Long.class), rows.getBigDecimal(5), (Integer) rows.getObject(6, Integer.class), properties));
                }
            }
        }
        Instant now = clock.now();
        List<EventFact> orders = Metrics.orders(events, null);
        BigDecimal revenue = Metrics.revenue(orders);
        Instant firstSeen = events.isEmpty() ? null : events.get(0).occurredAt();
        Instant lastSeen = events.isEmpty() ? null : events.get(events.size() - 1).occurredAt();
        Instant lastOrderAt = orders.isEmpty() ? null : orders.get(orders.size() - 1).occurredAt();
        BigDecimal averageOrderValue = orders.isEmpty() ? null : revenue.divide(BigDecimal.valueOf(orders.size()), 2, RoundingMode.HALF_UP);
        // today and the 29 days before it, in the site's time zone, as the segment engine counts them
        Instant windowStart = now.atZone(zone).toLocalDate().minusDays(29).atStartOfDay(zone).toInstant();
        return new VisitorView(visitorId, userId, anonymousIds, firstSeen, lastSeen, (int) Metrics.sessions(events, null),
                (int) Metrics.pageViews(events, null), (int) Metrics.activeDays(events, windowStart, zone),
                Metrics.engagedSeconds(events, null), orders.size(), revenue, averageOrderValue, lastOrderAt, null, List.of(), memberships,
                stage != null ? stage : SegmentKeys.DEFAULT_STAGE, null);
    }

    /**
     * The visitor's memberships with their current evidence: the profile row's
     * ({@code segment_evidence}, rewritten whenever its numbers move), or for a profile written
     * before that column the evidence stored with each membership.
     */
    static List<Membership> memberships(Connection connection, long siteId, long visitorId) throws SQLException {
        List<Membership> memberships = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT m.segment_key, m.since, m.evidence, p.segment_evidence "
                + "FROM segment_membership m LEFT JOIN visitor_profile p ON p.visitor_id = m.visitor_id "
                + "WHERE m.site_id = ? AND m.visitor_id = ? ORDER BY m.segment_key")) {
            select.setLong(1, siteId);
            select.setLong(2, visitorId);
            try (ResultSet rows = select.executeQuery()) {
                Map<String, String> current = null;
                while (rows.next()) {
                    if (memberships.isEmpty()) {
                        current = SegmentEvidence.read(rows.getString(4)); // the same profile row on every line
                    }
                    String key = rows.getString(1);
                    String evidence = current != null && current.containsKey(key) ? current.get(key) : rows.getString(3);
                    memberships.add(new Membership(key, family(key), instant(rows, 2), evidence));
                }
            }
        }
        return memberships;
    }

    static String family(String key) {
        BuiltInSegment builtIn = BuiltInSegment.byKey(key);
        if (builtIn != null) {
            return builtIn.family().apiName();
        }
        if (key.startsWith(SegmentKeys.INTEREST_PREFIX)) {
            return BuiltInSegment.Family.INTEREST.apiName();
        }
        return key.startsWith(SegmentKeys.STAGE_PREFIX) ? BuiltInSegment.Family.STAGE.apiName() : BuiltInSegment.Family.CUSTOM.apiName();
    }

    private static ZoneId siteZone(Connection connection, long siteId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT timezone FROM site WHERE id = ?")) {
            select.setLong(1, siteId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? ZoneId.of(rows.getString(1)) : ZoneId.of("UTC");
            }
        }
    }

    private static List<Interest> interests(String json) {
        JsonNode node = Json.readTree(json);
        if (node == null || !node.isArray()) {
            return List.of();
        }
        List<Interest> interests = new ArrayList<>();
        for (JsonNode item : node) {
            interests.add(new Interest(item.path("category").asText(), item.path("share").decimalValue(),
                    item.has("reads") ? item.get("reads").asInt() : null));
        }
        return interests;
    }

    static Instant instant(ResultSet rows, int column) throws SQLException {
        Timestamp timestamp = rows.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Integer integer(ResultSet rows, int column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }
}
