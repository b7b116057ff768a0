package io.segmentpress.segment.rule;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.segmentpress.common.Json;

/**
 * Random visitors for property tests: events clustered into sessions, on window boundaries and
 * 30-minute gaps, orders with full and partial refunds, properties and traits of every JSON type,
 * memberships and stages. The same seed always gives the same visitors.
 */
final class RandomVisitors {

    /** One stored event: the columns the rule evaluation reads. */
    record StoredEvent(String type, String name, Instant occurredAt, Long postId, BigDecimal revenue, Integer engagedSeconds,
            String orderId, ObjectNode properties, ObjectNode traits) {

        EventFact fact() {
            return new EventFact(type, name, occurredAt, postId, revenue, engagedSeconds, properties);
        }
    }

    /** A visitor: events oldest first (ties in insertion order), memberships and stage (null: no profile yet). */
    record Visitor(List<StoredEvent> events, Set<String> memberships, String stage) {

        Facts facts(Instant now, ZoneId zone) {
            Map<String, Object> traits = new LinkedHashMap<>();
            for (StoredEvent event : events) {
                if ("identify".equals(event.type()) && event.traits() != null) {
                    traits.putAll(Json.MAPPER.convertValue(event.traits(), new TypeReference<Map<String, Object>>() {
                    }));
                }
            }
            Set<String> interests = new LinkedHashSet<>();
            memberships.stream().filter(k -> k.startsWith(SegmentKeys.INTEREST_PREFIX))
                    .forEach(k -> interests.add(k.substring(SegmentKeys.INTEREST_PREFIX.length())));
            return new Facts(now, zone, events.stream().map(StoredEvent::fact).toList(), traits, memberships, interests, stage);
        }
    }

    static final List<String> TRACK_NAMES = List.of("Order Completed", "Order Refunded", "Product Added", "Signed In", "Content Engaged",
            "Products Searched");
    static final List<String> MEMBERSHIPS = List.of("vip", "loyal", "power-user", "dormant", "interest:recipes", "interest:travel", "club");
    static final List<String> WINDOWS = List.of("PT12H", "P1D", "P1DT12H", "P7D", "P2W", "P30D", "P1M", "P90D", "P1Y");
    static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"),
            ZoneId.of("Asia/Kolkata"), ZoneId.of("Australia/Lord_Howe"));

    private final Random random;
    private final Instant now;
    private final ZoneId zone;

    RandomVisitors(Random random, Instant now, ZoneId zone) {
        this.random = random;
        this.now = now.truncatedTo(ChronoUnit.MILLIS);
        this.zone = zone;
    }

    Visitor next() {
        List<StoredEvent> events = new ArrayList<>();
        int bursts = random.nextInt(5);
        for (int b = 0; b < bursts; b++) {
            Instant at = anchor();
            int size = 1 + random.nextInt(6);
            for (int i = 0; i < size; i++) {
                events.add(event(at));
                at = at.plus(gap());
            }
        }
        events.sort(Comparator.comparing(StoredEvent::occurredAt)); // stable: ties keep insertion order
        Set<String> memberships = new LinkedHashSet<>();
        for (String key : MEMBERSHIPS) {
            if (random.nextInt(4) == 0) {
                memberships.add(key);
            }
        }
        String stage = random.nextInt(5) == 0 ? null : pick(SegmentKeys.STAGES);
        if (stage != null) {
            memberships.add(stage);
        }
        return new Visitor(List.copyOf(events), Set.copyOf(memberships), stage);
    }

    /** Where a burst starts: often exactly on a window's edge. */
    private Instant anchor() {
        return switch (random.nextInt(4)) {
            case 0 -> Window.parse(pick(WINDOWS)).cutoff(now, zone).plusMillis(random.nextInt(3) - 1);
            case 1 -> now.minus(Duration.ofMinutes(random.nextInt(3 * 24 * 60)));
            default -> now.minus(Duration.ofMillis((long) (random.nextDouble() * Duration.ofDays(200).toMillis())));
        };
    }

    private Duration gap() {
        return switch (random.nextInt(6)) {
            case 0 -> Duration.ZERO;
            case 1 -> Duration.ofMinutes(30);
            case 2 -> Duration.ofMinutes(30).plusMillis(1);
            case 3 -> Duration.ofMinutes(1 + random.nextInt(29));
            case 4 -> Duration.ofHours(1 + random.nextInt(30));
            default -> Duration.ofDays(1 + random.nextInt(20));
        };
    }

    private StoredEvent event(Instant at) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            ObjectNode properties = properties();
            return new StoredEvent("page", random.nextBoolean() ? "Home" : null, at, (long) random.nextInt(5), null, null, null, properties, null);
        }
        if (kind == 3) {
            return new StoredEvent("identify", null, at, null, null, null, null, null, traits());
        }
        String name = random.nextInt(8) == 0 ? "Custom Thing" : pick(TRACK_NAMES);
        ObjectNode properties = properties();
        BigDecimal revenue = null;
        String orderId = null;
        Integer engaged = null;
        if (name.startsWith("Order")) {
            orderId = random.nextInt(6) == 0 ? null : "o" + random.nextInt(4);
            if (orderId != null) {
                properties.put("order_id", orderId);
            }
            revenue = random.nextInt(5) == 0 ? null : pick(List.of(new BigDecimal("0.00"), new BigDecimal("9.99"), new BigDecimal("25.00"),
                    new BigDecimal("100.00"), new BigDecimal("120.50"), new BigDecimal("33.33")));
        }
        if (name.equals("Content Engaged") || random.nextInt(10) == 0) {
            engaged = random.nextInt(5) == 0 ? null : random.nextInt(900);
        }
        return new StoredEvent("track", name, at, null, revenue, engaged, orderId, properties, null);
    }

    private ObjectNode properties() {
        ObjectNode properties = Json.MAPPER.createObjectNode();
        if (random.nextBoolean()) {
            properties.set("coupon", pickValue(List.of("\"SAVE10\"", "\"save10\"", "\"ÉTÉ😀\"", "null", "\"\"", "10")));
        }
        if (random.nextBoolean()) {
            properties.set("total", pickValue(List.of("50", "50.0", "49.99", "\"50\"", "0", "-3", "1e2")));
        }
        if (random.nextBoolean()) {
            properties.set("tags", pickValue(List.of("[\"gift\", 3]", "[\"sale\"]", "[]", "[[\"gift\"]]", "\"gift wrap\"", "[3.0, true]")));
        }
        if (random.nextInt(3) == 0) {
            properties.set("express", pickValue(List.of("true", "false", "\"true\"", "1")));
        }
        if (random.nextInt(3) == 0) {
            properties.set("address", pickValue(List.of("{\"country\": \"DE\"}", "{\"country\": \"AT\"}", "{\"country\": null}", "\"DE\"")));
        }
        return properties;
    }

    private ObjectNode traits() {
        ObjectNode traits = Json.MAPPER.createObjectNode();
        if (random.nextBoolean()) {
            traits.set("plan", pickValue(List.of("\"pro\"", "\"free\"", "\"Pro\"", "null", "[\"pro\"]")));
        }
        if (random.nextBoolean()) {
            traits.set("seats", pickValue(List.of("1", "12", "12.0", "\"12\"", "250")));
        }
        if (random.nextInt(3) == 0) {
            traits.set("address", pickValue(List.of("{\"city\": \"Berlin\"}", "{\"city\": \"Wien\"}", "{}")));
        }
        if (random.nextInt(3) == 0) {
            traits.set("tags", pickValue(List.of("[\"beta\", \"pro\"]", "[\"beta\"]", "\"beta tester\"")));
        }
        return traits;
    }

    private JsonNode pickValue(List<String> json) {
        return Json.readTree(pick(json));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static ArrayNode array() {
        return Json.MAPPER.createArrayNode();
    }
}
