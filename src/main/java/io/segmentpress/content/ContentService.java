package io.segmentpress.content;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;

import io.segmentpress.common.Json;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.error.Violations;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.content.ContentApi.BatchResult;
import io.segmentpress.content.ContentApi.ContentItem;
import io.segmentpress.content.ContentApi.Page;
import io.segmentpress.content.ContentApi.Rejected;
import io.segmentpress.content.ContentApi.Term;

/** The site's content catalog, kept in sync by the WordPress plugin. */
@ApplicationScoped
public class ContentService {

    public static final int MAX_BATCH = 500;
    private static final Set<String> TYPES = Set.of("post", "page", "product");
    private static final Set<String> STAGES = Set.of("awareness", "consideration", "decision", "retention", "advocacy");
    private static final Pattern STATUS = Pattern.compile("[a-z][a-z0-9_-]{0,19}");
    private static final Pattern SLUG = Pattern.compile("[\\p{L}\\p{N}%_-][\\p{L}\\p{N}%_.-]{0,199}");
    private static final int MAX_TERMS = 100;
    private static final TypeReference<List<Term>> TERMS = new TypeReference<>() {
    };

    /** Whether an upsert created the item or changed an existing one. */
    public enum Upsert { CREATED, UPDATED }

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    @Inject
    Event<ContentChanged> changes;

    /** Creates or replaces one item. */
    @Transactional
    public Upsert put(long siteId, long contentId, ContentItem item) {
        Violations violations = validate(contentId, item, "");
        violations.throwIfAny();
        try (Connection connection = dataSource.getConnection()) {
            Upsert result = write(connection, siteId, contentId, item);
            changes.fire(new ContentChanged(siteId, contentId));
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("content upsert failed", e);
        }
    }

    /** Creates or replaces many items; invalid ones are reported, valid ones stored. */
    @Transactional
    public BatchResult putAll(long siteId, List<ContentItem> items) {
        if (items == null) {
            throw ApiException.badRequest("items", "is required");
        }
        if (items.size() > MAX_BATCH) {
            throw ApiException.payloadTooLarge("A content batch holds at most " + MAX_BATCH + " items");
        }
        List<Rejected> rejected = new ArrayList<>();
        int upserted = 0;
        try (Connection connection = dataSource.getConnection()) {
            for (int i = 0; i < items.size(); i++) {
                ContentItem item = items.get(i);
                Long contentId = item == null ? null : item.contentId();
                Violations violations = new Violations();
                if (item == null) {
                    violations.add("items[" + i + "]", "must be an object");
                } else {
                    violations.check(contentId != null && contentId > 0, "contentId", "is required and must be a positive integer");
                    violations = merge(violations, validate(contentId == null ? 1 : contentId, item, ""));
                }
                if (!violations.isEmpty()) {
                    rejected.add(new Rejected(i, contentId, violations.errors()));
                    continue;
                }
                write(connection, siteId, contentId, item);
                changes.fire(new ContentChanged(siteId, contentId));
                upserted++;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("content batch failed", e);
        }
        return new BatchResult(upserted, rejected);
    }

    /** Removes an item; false when the site has no such item. */
    @Transactional
    public boolean delete(long siteId, long contentId) {
        try (Connection connection = dataSource.getConnection()) {
            int deleted = update(connection, "DELETE FROM content_item WHERE site_id = ? AND content_id = ?", siteId, contentId);
            update(connection, "DELETE FROM content_term WHERE site_id = ? AND content_id = ?", siteId, contentId);
            if (deleted > 0) {
                changes.fire(new ContentChanged(siteId, contentId));
            }
            return deleted > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("content delete failed", e);
        }
    }

    public Optional<ContentItem> find(long siteId, long contentId) {
        List<ContentItem> found = query("SELECT * FROM content_item WHERE site_id = ? AND content_id = ?", siteId, contentId);
        return found.stream().findFirst();
    }

    /** A page of the catalog in contentId order; the cursor is opaque to callers. */
    public Page list(long siteId, String cursor, int limit) {
        long after = decodeCursor(cursor);
        List<ContentItem> items = query("SELECT * FROM content_item WHERE site_id = ? AND content_id > ? ORDER BY content_id LIMIT ?",
                siteId, after, limit + 1);
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = encodeCursor(items.get(limit - 1).contentId());
        }
        return new Page(items, next);
    }

    private Upsert write(Connection connection, long siteId, long contentId, ContentItem item) throws SQLException {
        List<Term> categories = item.categories() == null ? List.of() : dedupe(item.categories());
        List<Term> tags = item.tags() == null ? List.of() : dedupe(item.tags());
        boolean existed;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM content_item WHERE site_id = ? AND content_id = ? FOR UPDATE")) {
            statement.setLong(1, siteId);
            statement.setLong(2, contentId);
            try (ResultSet rs = statement.executeQuery()) {
                existed = rs.next();
            }
        }
        String sql = "INSERT INTO content_item (site_id, content_id, title, url, type, status, published_at, modified_at, categories, tags, "
                + "excerpt, word_count, price, on_sale, journey_stage, synced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                + "ON DUPLICATE KEY UPDATE title = VALUES(title), url = VALUES(url), type = VALUES(type), status = VALUES(status), "
                + "published_at = VALUES(published_at), modified_at = VALUES(modified_at), categories = VALUES(categories), "
                + "tags = VALUES(tags), excerpt = VALUES(excerpt), word_count = VALUES(word_count), price = VALUES(price), "
                + "on_sale = VALUES(on_sale), journey_stage = VALUES(journey_stage), synced_at = VALUES(synced_at)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 0;
            statement.setLong(++p, siteId);
            statement.setLong(++p, contentId);
            statement.setString(++p, item.title().trim());
            statement.setString(++p, item.url().trim());
            statement.setString(++p, item.type());
            statement.setString(++p, item.status());
            statement.setTimestamp(++p, item.publishedAt() == null ? null : Timestamp.from(item.publishedAt()));
            statement.setTimestamp(++p, item.modifiedAt() == null ? null : Timestamp.from(item.modifiedAt()));
            statement.setString(++p, Json.write(categories));
            statement.setString(++p, Json.write(tags));
            statement.setString(++p, item.excerpt());
            if (item.wordCount() == null) {
                statement.setNull(++p, Types.INTEGER);
            } else {
                statement.setInt(++p, item.wordCount());
            }
            statement.setBigDecimal(++p, item.price());
            if (item.onSale() == null) {
                statement.setNull(++p, Types.BOOLEAN);
            } else {
                statement.setBoolean(++p, item.onSale());
            }
            statement.setString(++p, item.journeyStage());
            statement.setTimestamp(++p, Timestamp.from(clock.now()));
            statement.executeUpdate();
        }
        update(connection, "DELETE FROM content_term WHERE site_id = ? AND content_id = ?", siteId, contentId);
        Map<String, Term> terms = new LinkedHashMap<>();
        categories.forEach(term -> terms.put("category\u0000" + term.slug(), term));
        tags.forEach(term -> terms.put("tag\u0000" + term.slug(), term));
        if (!terms.isEmpty()) {
            StringBuilder insert = new StringBuilder("INSERT INTO content_term (site_id, content_id, taxonomy, slug, name) VALUES ");
            for (int i = 0; i < terms.size(); i++) {
                insert.append(i == 0 ? "(?,?,?,?,?)" : ",(?,?,?,?,?)");
            }
            try (PreparedStatement statement = connection.prepareStatement(insert.toString())) {
                int p = 0;
                for (Map.Entry<String, Term> entry : terms.entrySet()) {
                    statement.setLong(++p, siteId);
                    statement.setLong(++p, contentId);
                    statement.setString(++p, entry.getKey().substring(0, entry.getKey().indexOf('\u0000')));
                    statement.setString(++p, entry.getValue().slug());
                    statement.setString(++p, entry.getValue().name());
                }
                statement.executeUpdate();
            }
        }
        return existed ? Upsert.UPDATED : Upsert.CREATED;
    }

    private static List<Term> dedupe(List<Term> terms) {
        Map<String, Term> bySlug = new LinkedHashMap<>();
        terms.forEach(term -> bySlug.putIfAbsent(term.slug(), new Term(term.slug(), term.name() == null ? term.slug() : term.name().trim())));
        return List.copyOf(bySlug.values());
    }

    private static Violations validate(long contentId, ContentItem item, String prefix) {
        Violations v = new Violations();
        if (item == null) {
            return v.add("body", "is required");
        }
        v.check(contentId > 0, prefix + "contentId", "must be a positive integer");
        v.check(item.title() != null && !item.title().isBlank() && item.title().length() <= 500, prefix + "title",
                "is required (at most 500 characters)");
        v.check(item.url() != null && item.url().length() <= 1000 && isHttpUrl(item.url().trim()), prefix + "url",
                "is required and must be an http(s) URL of at most 1000 characters");
        v.check(item.type() != null && TYPES.contains(item.type()), prefix + "type", "must be one of post, page, product");
        v.check(item.status() != null && STATUS.matcher(item.status()).matches(), prefix + "status",
                "is required: a WordPress post status such as publish or draft");
        v.check(item.wordCount() == null || item.wordCount() >= 0, prefix + "wordCount", "must not be negative");
        v.check(item.price() == null || item.price().signum() >= 0 && item.price().compareTo(new BigDecimal("999999999999")) <= 0,
                prefix + "price", "must be a non-negative amount");
        v.check(item.journeyStage() == null || STAGES.contains(item.journeyStage()), prefix + "journeyStage",
                "must be one of awareness, consideration, decision, retention, advocacy");
        v.check(item.excerpt() == null || item.excerpt().length() <= 5000, prefix + "excerpt", "must be at most 5000 characters");
        validateTerms(item.categories(), prefix + "categories", v);
        validateTerms(item.tags(), prefix + "tags", v);
        return v;
    }

    private static void validateTerms(List<Term> terms, String field, Violations v) {
        if (terms == null) {
            return;
        }
        v.check(terms.size() <= MAX_TERMS, field, "must list at most " + MAX_TERMS + " terms");
        for (int i = 0; i < terms.size() && i < MAX_TERMS; i++) {
            Term term = terms.get(i);
            if (term == null || term.slug() == null || !SLUG.matcher(term.slug()).matches()) {
                v.add(field + "[" + i + "].slug", "is required: letters, digits, '-', '_' (at most 200)");
            } else if (term.name() != null && term.name().length() > 200) {
                v.add(field + "[" + i + "].name", "must be at most 200 characters");
            }
        }
    }

    private static Violations merge(Violations into, Violations from) {
        from.errors().forEach(error -> into.add(error.field(), error.message()));
        return into;
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private List<ContentItem> query(String sql, Object... params) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<ContentItem> items = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    items.add(read(rs));
                }
            }
            return items;
        } catch (SQLException e) {
            throw new IllegalStateException("content query failed", e);
        }
    }

    private static ContentItem read(ResultSet rs) throws SQLException {
        Timestamp published = rs.getTimestamp("published_at");
        Timestamp modified = rs.getTimestamp("modified_at");
        int words = rs.getInt("word_count");
        boolean noWords = rs.wasNull();
        boolean onSale = rs.getBoolean("on_sale");
        boolean noSale = rs.wasNull();
        try {
            return new ContentItem(rs.getLong("content_id"), rs.getString("title"), rs.getString("url"), rs.getString("type"),
                    rs.getString("status"), published == null ? null : published.toInstant(), modified == null ? null : modified.toInstant(),
                    Json.MAPPER.readValue(rs.getString("categories"), TERMS), Json.MAPPER.readValue(rs.getString("tags"), TERMS),
                    rs.getString("excerpt"), noWords ? null : words, rs.getBigDecimal("price"), noSale ? null : onSale,
                    rs.getString("journey_stage"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored terms are corrupt", e);
        }
    }

    private static int update(Connection connection, String sql, long siteId, long contentId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, siteId);
            statement.setLong(2, contentId);
            return statement.executeUpdate();
        }
    }

    static String encodeCursor(long contentId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("c:" + contentId).getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("c:")) {
                return Long.parseLong(decoded.substring(2));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.badRequest("cursor", "is not a cursor returned by this endpoint");
    }
}
