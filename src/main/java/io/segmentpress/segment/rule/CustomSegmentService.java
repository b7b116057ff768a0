package io.segmentpress.segment.rule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.DbTime;
import io.segmentpress.common.Json;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.error.Violations;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentEngine;
import io.segmentpress.segment.rule.CustomSegmentApi.CustomSegmentRequest;
import io.segmentpress.segment.rule.CustomSegmentApi.CustomSegmentView;

/**
 * Creates, replaces and deletes a site's custom segments. A rule is validated completely
 * (syntax, referenced segments, cycles) before anything is stored, and the site's memberships
 * are brought up to date before the call returns.
 */
@ApplicationScoped
public class CustomSegmentService {

    private static final Logger LOG = Logger.getLogger(CustomSegmentService.class);
    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 1000;
    static final int MAX_RULE_CHARS = 16_384;
    static final int MAX_SEGMENTS_PER_SITE = 500;

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    @Inject
    SegmentEngine engine;

    private record Stored(String key, String name, String description, String rule, Instant createdAt, Instant updatedAt) {
    }

    /** Creates a custom segment; 409 when the key is built in or taken. */
    public CustomSegmentView create(long siteId, CustomSegmentRequest request) {
        if (request == null) {
            throw ApiException.badRequest("body", "is required");
        }
        if (request.key() != null && SegmentKeys.isBuiltIn(request.key())) {
            throw ApiException.conflict("'" + request.key() + "' is a built-in segment; choose another key for a custom segment");
        }
        Violations violations = new Violations();
        if (request.key() == null || !SegmentKeys.CUSTOM_KEY.matcher(request.key()).matches()) {
            violations.add("key", "is required: 1-63 lower-case letters, digits and dashes, starting with a letter or digit");
        }
        SegmentRule rule = validate(request, violations);
        insert(siteId, request.key(), request, rule);
        return refreshed(siteId, request.key());
    }

    /** Replaces a custom segment's name, description and rule; empty when there is no such custom segment. */
    public Optional<CustomSegmentView> replace(long siteId, String key, CustomSegmentRequest request) {
        refuseBuiltIn(key, "changed");
        if (request == null) {
            throw ApiException.badRequest("body", "is required");
        }
        Violations violations = new Violations();
        if (request.key() != null && !request.key().equals(key)) {
            violations.add("key", "must be the key in the path ('" + key + "') or left out; a segment's key cannot change");
        }
        SegmentRule rule = validate(request, violations);
        if (!update(siteId, key, request, rule)) {
            return Optional.empty();
        }
        return Optional.of(refreshed(siteId, key));
    }

    /** Deletes a custom segment and its memberships; false when there is no such custom segment. */
    public boolean delete(long siteId, String key) {
        refuseBuiltIn(key, "deleted");
        if (!remove(siteId, key)) {
            return false;
        }
        engine.recomputeSite(siteId);
        return true;
    }

    private static void refuseBuiltIn(String key, String what) {
        if (SegmentKeys.isBuiltIn(key)) {
            throw ApiException.conflict("'" + key + "' is a built-in segment; only custom segments can be " + what);
        }
    }

    /** Checks name, description and rule; throws one 400 listing every problem. */
    private static SegmentRule validate(CustomSegmentRequest request, Violations violations) {
        if (request.name() == null || request.name().isBlank() || request.name().length() > MAX_NAME) {
            violations.add("name", "is required, 1-" + MAX_NAME + " characters");
        }
        if (request.description() != null && request.description().length() > MAX_DESCRIPTION) {
            violations.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        SegmentRule rule = null;
        if (request.rule() == null || request.rule().isNull()) {
            violations.add("rule", "is required");
        } else if (Json.write(request.rule()).length() > MAX_RULE_CHARS) {
            violations.add("rule", "must be at most " + MAX_RULE_CHARS + " characters of JSON");
        } else {
            try {
                rule = SegmentRule.parse(request.rule());
            } catch (RuleException e) {
                violations.add(e.path().isEmpty() ? "rule" : "rule." + e.path(), e.reason());
            }
        }
        violations.throwIfAny();
        return rule;
    }

    @Transactional
    void insert(long siteId, String key, CustomSegmentRequest request, SegmentRule rule) {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, SegmentRule> existing = lockSite(connection, siteId);
            if (existing.containsKey(key)) {
                throw ApiException.conflict("A custom segment '" + key + "' exists already; replace it with PUT /v1/segments/" + key);
            }
            if (existing.size() >= MAX_SEGMENTS_PER_SITE) {
                throw ApiException.conflict("A site can have at most " + MAX_SEGMENTS_PER_SITE + " custom segments");
            }
            checkReferences(key, rule, existing);
            Instant now = clock.now();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO custom_segment "
                    + "(site_id, segment_key, name, description, rule, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, siteId);
                insert.setString(2, key);
                insert.setString(3, request.name().trim());
                insert.setString(4, request.description());
                insert.setString(5, Json.write(rule.json()));
                insert.setString(6, DbTime.format(now));
                insert.setString(7, DbTime.format(now));
                insert.executeUpdate();
            }
        } catch (SQLIntegrityConstraintViolationException e) {
            throw ApiException.conflict("A custom segment '" + key + "' exists already; replace it with PUT /v1/segments/" + key);
        } catch (SQLException e) {
            throw new IllegalStateException("custom segment could not be stored", e);
        }
    }

    @Transactional
    boolean update(long siteId, String key, CustomSegmentRequest request, SegmentRule rule) {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, SegmentRule> existing = lockSite(connection, siteId);
            if (!existing.containsKey(key)) {
                return false;
            }
            checkReferences(key, rule, existing);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE custom_segment SET name = ?, description = ?, rule = ?, updated_at = ? WHERE site_id = ? AND segment_key = ?")) {
                update.setString(1, request.name().trim());
                update.setString(2, request.description());
                update.setString(3, Json.write(rule.json()));
                update.setString(4, DbTime.format(clock.now()));
                update.setLong(5, siteId);
                update.setString(6, key);
                update.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("custom segment could not be stored", e);
        }
    }

    @Transactional
    boolean remove(long siteId, String key) {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, SegmentRule> existing = lockSite(connection, siteId);
            if (!existing.containsKey(key)) {
                return false;
            }
            List<String> dependents = new ArrayList<>();
            existing.forEach((other, rule) -> {
                if (!other.equals(key) && rule.referencedSegments().contains(key)) {
                    dependents.add(other);
                }
            });
            if (!dependents.isEmpty()) {
                throw ApiException.conflict("Custom segment '" + key + "' is used by " + String.join(", ", dependents)
                        + "; change or delete those first");
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM custom_segment WHERE site_id = ? AND segment_key = ?")) {
                delete.setLong(1, siteId);
                delete.setString(2, key);
                delete.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("custom segment could not be deleted", e);
        }
    }

    /** The site's custom segment rules, locked until the transaction ends so concurrent changes cannot form a cycle. */
    private static Map<String, SegmentRule> lockSite(Connection connection, long siteId) throws SQLException {
        Map<String, SegmentRule> rules = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT segment_key, rule FROM custom_segment WHERE site_id = ? ORDER BY segment_key FOR UPDATE")) {
            select.setLong(1, siteId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    rules.put(rows.getString(1), SegmentRule.parse(Json.readTree(rows.getString(2))));
                }
            }
        }
        return rules;
    }

    /** Every referenced segment must exist, and following references from {@code key} must never lead back to it. */
    private static void checkReferences(String key, SegmentRule rule, Map<String, SegmentRule> existing) {
        Violations violations = new Violations();
        for (SegmentRule.Reference reference : rule.segmentReferences()) {
            String field = "rule." + reference.path();
            if (reference.key().equals(key)) {
                violations.add(field, "segment cycle: " + key + " → " + key + " (a segment cannot contain itself)");
            } else if (!SegmentKeys.isBuiltIn(reference.key()) && !existing.containsKey(reference.key())) {
                violations.add(field, "unknown segment '" + reference.key() + "'");
            } else {
                List<String> cycle = pathBack(reference.key(), key, existing, new ArrayList<>());
                if (cycle != null) {
                    violations.add(field, "segment cycle: " + key + " → " + String.join(" → ", cycle));
                }
            }
        }
        violations.throwIfAny();
    }

    /** The chain of references from {@code from} that reaches {@code target}, or null. */
    private static List<String> pathBack(String from, String target, Map<String, SegmentRule> rules, List<String> visiting) {
        if (from.equals(target)) {
            List<String> chain = new ArrayList<>(visiting);
            chain.add(from);
            return chain;
        }
        SegmentRule rule = rules.get(from);
        if (rule == null || visiting.contains(from)) {
            return null;
        }
        visiting.add(from);
        for (String next : rule.referencedSegments()) {
            List<String> chain = pathBack(next, target, rules, visiting);
            if (chain != null) {
                return chain;
            }
        }
        visiting.remove(visiting.size() - 1);
        return null;
    }

    /** Re-evaluates the site's segments and answers the stored segment with its new size. */
    private CustomSegmentView refreshed(long siteId, String key) {
        try {
            engine.recomputeSite(siteId);
        } catch (ApiException e) {
            // stored, but another recompute holds the site: the schedule and new events bring members up to date
            LOG.warnf("custom segment %s of site %d stored; memberships follow with the next recompute (%s)", key, siteId, e.getMessage());
        }
        return find(siteId, key).orElseThrow(() -> ApiException.notFound("No segment " + key));
    }

    /** A custom segment with its current size. */
    public Optional<CustomSegmentView> find(long siteId, String key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT c.segment_key, c.name, c.description, c.rule, c.created_at, "
                        + "c.updated_at, (SELECT COUNT(*) FROM segment_membership m WHERE m.site_id = c.site_id AND m.segment_key = c.segment_key) "
                        + "FROM custom_segment c WHERE c.site_id = ? AND c.segment_key = ?")) {
            select.setLong(1, siteId);
            select.setString(2, key);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                JsonNode rule = Json.readTree(rows.getString(4));
                return Optional.of(new CustomSegmentView(rows.getString(1), rows.getString(2), "custom", rows.getString(3), rule,
                        rows.getTimestamp(5).toInstant(), rows.getTimestamp(6).toInstant(), rows.getLong(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("custom segment could not be read", e);
        }
    }
}
