package io.segmentpress.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Realistic WordPress/WooCommerce events for the ingest benchmark: page views of posts with
 * categories and tags, Content Engaged, product views and cart adds, searches, and orders with
 * a products array (these also carry a userId, so identity links and visitor merges happen).
 * Each event is available both as the JSON a tracker sends and as the row the service stores,
 * so the HTTP run and the raw JDBC baseline write the same data.
 */
final class BenchEvents {

    private static final String[] CATEGORIES = { "recipes", "travel", "gardening", "diy", "reviews", "news", "fitness", "parenting" };
    private static final String[] TAGS = { "quick", "budget", "summer", "beginner", "video", "long-read", "family", "vegan", "weekend" };
    private static final String[] PRODUCTS = { "Cast Iron Skillet", "Trail Backpack 30L", "Herb Seed Kit", "Cordless Drill",
            "Yoga Mat Pro", "Baby Carrier", "Espresso Grinder", "Camping Lantern" };
    private static final String USER_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1";
    private static final String SITE = "https://shop.example.com";

    /** One event: its JSON and the extracted columns the service would store for it. */
    record Event(String json, String messageId, String type, String name, String anonymousId, String userId, Instant occurredAt,
            Long postId, String productId, String orderId, BigDecimal revenue, BigDecimal discount, String coupon,
            Integer engagedSeconds, Integer scrollDepth, String searchQuery, String url, String referrer, String properties,
            String context) {
    }

    private final SplittableRandom random;
    private final int visitors;
    private final String messagePrefix;
    private long sequence;

    BenchEvents(long seed, int visitors, String messagePrefix) {
        this.random = new SplittableRandom(seed);
        this.visitors = visitors;
        this.messagePrefix = messagePrefix;
    }

    Event next(Instant now) {
        int visitor = random.nextInt(visitors);
        String anonymousId = "anon-" + Integer.toHexString(0x100000 + visitor) + "-7f3c-4b1e-9a2d";
        String messageId = messagePrefix + (sequence++);
        Instant occurredAt = now.minusMillis(random.nextInt(5_000));
        long postId = 1 + random.nextInt(10_000);
        String slug = "post-" + postId;
        String url = SITE + "/" + CATEGORIES[(int) (postId % CATEGORIES.length)] + "/" + slug + "/";
        String referrer = random.nextInt(3) == 0 ? "https://www.google.com/" : SITE + "/";
        String context = "{\"page\":{\"url\":\"" + url + "\",\"referrer\":\"" + referrer + "\",\"title\":\"Post " + postId
                + "\"},\"userAgent\":\"" + USER_AGENT + "\",\"library\":{\"name\":\"segmentpress.js\",\"version\":\"1.0.0\"},\"locale\":\"en-US\"}";
        int roll = random.nextInt(100);
        String type = "track";
        String name;
        String userId = null;
        String properties;
        String productId = null;
        String orderId = null;
        BigDecimal revenue = null;
        BigDecimal discount = null;
        String coupon = null;
        Integer engaged = null;
        Integer scroll = null;
        String query = null;
        Long post = null;
        if (roll < 45) {
            type = "page";
            name = "Post " + postId;
            post = postId;
            properties = "{\"post_id\":" + postId + ",\"title\":\"Post " + postId + "\",\"url\":\"" + url + "\",\"path\":\"/" + slug
                    + "/\",\"categories\":[\"" + CATEGORIES[(int) (postId % CATEGORIES.length)] + "\",\""
                    + CATEGORIES[(int) ((postId / 7) % CATEGORIES.length)] + "\"],\"tags\":[\"" + TAGS[(int) (postId % TAGS.length)]
                    + "\",\"" + TAGS[(int) ((postId / 3) % TAGS.length)] + "\"],\"author\":\"editor-" + (postId % 12) + "\"}";
        } else if (roll < 65) {
            name = "Content Engaged";
            post = postId;
            engaged = 5 + random.nextInt(600);
            scroll = random.nextInt(101);
            properties = "{\"post_id\":" + postId + ",\"engaged_seconds\":" + engaged + ",\"scroll_depth\":" + scroll
                    + ",\"categories\":[\"" + CATEGORIES[(int) (postId % CATEGORIES.length)] + "\"],\"word_count\":"
                    + (400 + postId % 2000) + "}";
        } else if (roll < 90) {
            name = roll < 80 ? "Product Viewed" : "Product Added";
            int p = random.nextInt(PRODUCTS.length);
            productId = String.valueOf(1000 + p);
            properties = "{\"product_id\":\"" + productId + "\",\"sku\":\"SKU-" + productId + "\",\"name\":\"" + PRODUCTS[p]
                    + "\",\"price\":" + (19 + p * 7) + ".99,\"currency\":\"USD\",\"category\":\"" + CATEGORIES[p] + "\""
                    + (roll < 80 ? "" : ",\"quantity\":" + (1 + random.nextInt(3)) + ",\"cart_id\":\"c-" + visitor + "\"") + "}";
        } else if (roll < 95) {
            name = "Products Searched";
            query = TAGS[random.nextInt(TAGS.length)] + " " + CATEGORIES[random.nextInt(CATEGORIES.length)];
            properties = "{\"query\":\"" + query + "\"}";
        } else {
            name = "Order Completed";
            userId = "user-" + (visitor / 2); // two devices per customer: their visitors merge
            orderId = "wc-" + messageId;
            int items = 1 + random.nextInt(3);
            StringBuilder products = new StringBuilder();
            BigDecimal total = BigDecimal.ZERO;
            for (int i = 0; i < items; i++) {
                int p = random.nextInt(PRODUCTS.length);
                BigDecimal price = new BigDecimal((19 + p * 7) + ".99");
                total = total.add(price);
                products.append(i == 0 ? "" : ",").append("{\"product_id\":\"").append(1000 + p).append("\",\"sku\":\"SKU-")
                        .append(1000 + p).append("\",\"name\":\"").append(PRODUCTS[p]).append("\",\"price\":").append(price)
                        .append(",\"quantity\":1,\"category\":\"").append(CATEGORIES[p]).append("\"}");
            }
            boolean discounted = random.nextInt(4) == 0;
            discount = discounted ? new BigDecimal("5.00") : null;
            coupon = discounted ? "SPRING5" : null;
            revenue = discounted ? total.subtract(discount) : total;
            properties = "{\"order_id\":\"" + orderId + "\",\"total\":" + revenue + ",\"revenue\":" + revenue
                    + (discounted ? ",\"discount\":5.00,\"coupon\":\"SPRING5\"" : "") + ",\"currency\":\"USD\",\"products\":[" + products + "]}";
        }
        StringBuilder json = new StringBuilder(640);
        json.append("{\"type\":\"").append(type).append("\",");
        if ("page".equals(type)) {
            json.append("\"name\":\"").append(name).append("\",");
        } else {
            json.append("\"event\":\"").append(name).append("\",");
        }
        json.append("\"messageId\":\"").append(messageId).append("\",\"anonymousId\":\"").append(anonymousId).append('"');
        if (userId != null) {
            json.append(",\"userId\":\"").append(userId).append('"');
        }
        json.append(",\"timestamp\":\"").append(occurredAt).append("\",\"properties\":").append(properties)
                .append(",\"context\":").append(context).append('}');
        return new Event(json.toString(), messageId, type, name, anonymousId, userId, occurredAt, post, productId, orderId, revenue,
                discount, coupon, engaged, scroll, query, url, referrer, properties, context);
    }
}
