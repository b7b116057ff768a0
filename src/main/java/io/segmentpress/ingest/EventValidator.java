package io.segmentpress.ingest;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.segmentpress.common.PageCategories;
import io.segmentpress.common.error.Violations;

/**
 * Checks one Segment-format event and turns it into an {@link IncomingEvent}. Every problem
 * is reported with the field it concerns; an event with any problem is not stored.
 */
final class EventValidator {

    static final Set<String> TYPES = Set.of("track", "page", "identify");
    private static final Set<String> PLACEHOLDER_IDS = Set.of("null", "undefined", "anonymous", "0", "-1", "nil", "none", "unknown");
    private static final Pattern ALL_ZEROS = Pattern.compile("^[0\\-]+$");
    private static final int MAX_ID = 200;
    private static final int MAX_MESSAGE_ID = 100;
    private static final int MAX_NAME = 200;

    /** A validated event, or the reasons it was refused. */
    record Result(IncomingEvent event, Violations violations, String messageId) {
        boolean isValid() {
            return event != null;
        }
    }

    private final IngestConfig limits;

    EventValidator(IngestConfig limits) {
        this.limits = limits;
    }

    /**
     * @param impliedType the type given by the endpoint ({@code /v1/track} …), or null for batches
     * @param batchContext the batch's own context, merged under the event's
     * @param batchSentAt the batch's sentAt, used when the event has none
     */
    Result validate(JsonNode node, String impliedType, JsonNode batchContext, String batchSentAt, Instant receivedAt) {
        Violations violations = new Violations();
        if (node == null || !node.isObject()) {
            violations.add("event", "must be a JSON object");
            return new Result(null, violations, null);
        }
        String messageId = text(node, "messageId", MAX_MESSAGE_ID, violations);
        if (depth(node) > limits.maxDepth()) {
            violations.add("event", "is nested deeper than " + limits.maxDepth() + " levels");
            return new Result(null, violations, messageId);
        }

        String type = text(node, "type", 16, violations);
        if (impliedType != null) {
            if (type != null && !type.equals(impliedType)) {
                violations.add("type", "must be \"" + impliedType + "\" on this endpoint");
            }
            type = impliedType;
        } else if (type == null) {
            violations.check(node.has("type"), "type", "is required (track, page or identify)");
        } else if (!TYPES.contains(type)) {
            violations.add("type", "must be one of track, page, identify");
        }

        String anonymousId = identifier(node, "anonymousId", violations);
        String userId = identifier(node, "userId", violations);
        if (anonymousId == null && userId == null && !node.hasNonNull("anonymousId") && !node.hasNonNull("userId")) {
            violations.add("anonymousId", "anonymousId or userId is required");
        }

        String eventName = text(node, "event", MAX_NAME, violations);
        String pageName = text(node, "name", MAX_NAME, violations);
        if ("track".equals(type) && (eventName == null || eventName.isBlank())) {
            violations.add("event", "is required for track events");
        }
        String name = "track".equals(type) ? eventName : "page".equals(type) ? pageName : null;

        JsonNode properties = object(node, "properties", violations);
        JsonNode traits = object(node, "traits", violations);
        JsonNode context = mergedContext(object(node, "context", violations), batchContext);

        Instant timestamp = time(node, "timestamp", violations);
        Instant sentAt = time(node, "sentAt", violations);
        if (sentAt == null && batchSentAt != null) {
            sentAt = parseTime(batchSentAt);
            violations.check(sentAt != null, "sentAt", "must be an ISO-8601 date-time");
        }
        Instant occurredAt = timestamp == null ? receivedAt
                : sentAt == null ? timestamp
                : receivedAt.minus(Duration.between(timestamp, sentAt));
        if (timestamp != null) {
            violations.check(!occurredAt.isBefore(receivedAt.minus(limits.maxAge())), "timestamp",
                    "is more than " + limits.maxAge().toDays() + " days in the past");
            violations.check(!occurredAt.isAfter(receivedAt.plus(limits.maxFuture())), "timestamp",
                    "is more than " + limits.maxFuture().toMinutes() + " minutes in the future");
        }

        Properties extracted = new Properties(properties, violations);
        Long postId = extracted.integer("post_id");
        String productId = extracted.text("product_id", 100);
        String orderId = extracted.text("order_id", 100);
        BigDecimal revenue = extracted.decimal("revenue");
        if (revenue == null) {
            revenue = extracted.decimal("total");
        }
        BigDecimal discount = extracted.decimal("discount");
        String coupon = extracted.text("coupon", 100);
        Long engaged = extracted.integer("engaged_seconds");
        violations.check(engaged == null || engaged >= 0 && engaged <= 86_400, "properties.engaged_seconds", "must be between 0 and 86400");
        BigDecimal scroll = extracted.decimal("scroll_depth");
        violations.check(scroll == null || scroll.signum() >= 0 && scroll.compareTo(BigDecimal.valueOf(100)) <= 0,
                "properties.scroll_depth", "must be between 0 and 100");
        String query = extracted.text("query", 10_000);
        String url = firstNonNull(extracted.text("url", 10_000), textAt(context, "page", "url"));
        String referrer = firstNonNull(extracted.text("referrer", 10_000), textAt(context, "page", "referrer"));

        if (!violations.isEmpty()) {
            return new Result(null, violations, messageId);
        }
        return new Result(new IncomingEvent(
                messageId == null ? UUID.randomUUID().toString() : messageId,
                type, name, anonymousId, userId, occurredAt,
                postId, productId, orderId, revenue, discount, coupon,
                engaged == null ? null : engaged.intValue(),
                scroll == null ? null : scroll.intValue(),
                truncate(query, 200), truncate(url, 1000), truncate(referrer, 1000),
                properties == null ? null : properties.toString(),
                context == null || context.isEmpty() ? null : context.toString(),
                traits == null ? null : traits.toString(),
                "page".equals(type) && postId != null ? PageCategories.of(properties) : List.of()), violations, messageId);
    }

    /** The event's context over the batch's, without the sender's IP address (never stored). */
    private static JsonNode mergedContext(JsonNode eventContext, JsonNode batchContext) {
        ObjectNode merged;
        if (batchContext != null && batchContext.isObject()) {
            merged = ((ObjectNode) batchContext).deepCopy();
            if (eventContext != null) {
                merged.setAll((ObjectNode) eventContext);
            }
        } else if (eventContext != null) {
            merged = (ObjectNode) eventContext;
        } else {
            return null;
        }
        merged.remove("ip");
        return merged;
    }

    private static String identifier(JsonNode node, String field, Violations violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String id;
        if (value.isTextual()) {
            id = value.asText();
        } else if (value.isIntegralNumber()) {
            id = value.asText(); // some libraries send numeric user ids
        } else {
            violations.add(field, "must be a string");
            return null;
        }
        String trimmed = id.trim();
        if (trimmed.isEmpty() || PLACEHOLDER_IDS.contains(trimmed.toLowerCase(Locale.ROOT)) || ALL_ZEROS.matcher(trimmed).matches()) {
            violations.add(field, "is a placeholder value (\"" + truncate(trimmed, 40) + "\"), not an id");
            return null;
        }
        if (id.length() > MAX_ID) {
            violations.add(field, "must be at most " + MAX_ID + " characters");
            return null;
        }
        return id;
    }

    private static String text(JsonNode node, String field, int max, Violations violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(field, "must be a string");
            return null;
        }
        String text = value.asText();
        if (text.length() > max) {
            violations.add(field, "must be at most " + max + " characters");
            return null;
        }
        return text;
    }

    private static JsonNode object(JsonNode node, String field, Violations violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            violations.add(field, "must be an object");
            return null;
        }
        return value;
    }

    private static Instant time(JsonNode node, String field, Violations violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        Instant parsed = value.isTextual() ? parseTime(value.asText()) : null;
        violations.check(parsed != null, field, "must be an ISO-8601 date-time such as 2026-05-01T12:00:00Z");
        return parsed;
    }

    static Instant parseTime(String text) {
        Instant common = parseCommonShape(text);
        return common != null ? common : parseWithFormatter(text);
    }

    /** Any ISO-8601 date-time with an offset, or an instant; null when the text is neither. */
    static Instant parseWithFormatter(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static final int[] NANO_SCALE = { 1, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1 };

    /**
     * The shape nearly every sender uses ({@code 2026-05-01T12:00:00.123Z}, {@code …+02:00}) read
     * without a formatter, which costs more than the rest of an event's validation. Returns null
     * for any other shape (or an impossible date), and {@link #parseTime} then asks the formatter,
     * so both paths accept and refuse the same texts.
     */
    static Instant parseCommonShape(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            int length = i - start;
            if (length == 0 || length > 9) {
                return null;
            }
            nanos = digits(t, start, length) * NANO_SCALE[length];
        }
        int offsetSeconds;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int offsetHours = digits(t, i + 1, 2);
            int offsetMinutes = digits(t, i + 4, 2);
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        if (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /** The decimal number in {@code count} characters from {@code start}, or -1 if one is not a digit. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static int depth(JsonNode node) {
        if (!node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
            deepest = Math.max(deepest, depth(it.next()));
        }
        return deepest + 1;
    }

    private static String textAt(JsonNode node, String object, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(object).get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** Reads the properties that carry meaning (see the API contract), reporting wrong types. */
    private static final class Properties {
        private final JsonNode properties;
        private final Violations violations;

        Properties(JsonNode properties, Violations violations) {
            this.properties = properties;
            this.violations = violations;
        }

        Long integer(String field) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                return value.asLong();
            }
            if (value.isTextual() && value.asText().matches("-?\\d{1,18}")) {
                return Long.parseLong(value.asText());
            }
            if (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())) {
                return (long) value.asDouble();
            }
            violations.add("properties." + field, "must be an integer");
            return null;
        }

        BigDecimal decimal(String field) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            try {
                BigDecimal number = value.isNumber() ? value.decimalValue()
                        : value.isTextual() ? new BigDecimal(value.asText().trim()) : null;
                if (number != null && number.abs().compareTo(new BigDecimal("999999999999")) <= 0) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            violations.add("properties." + field, "must be a number");
            return null;
        }

        String text(String field, int max) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            if (value.isTextual() || value.isNumber()) {
                String text = value.asText();
                if (text.length() > max) {
                    violations.add("properties." + field, "must be at most " + max + " characters");
                    return null;
                }
                return text;
            }
            violations.add("properties." + field, "must be a string");
            return null;
        }

        private JsonNode value(String field) {
            if (properties == null) {
                return null;
            }
            JsonNode value = properties.get(field);
            return value == null || value.isNull() ? null : value;
        }
    }
}
