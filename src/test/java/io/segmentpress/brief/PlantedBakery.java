package io.segmentpress.brief;

import static io.segmentpress.brief.BriefTestSite.post;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A bake-and-brew shop with planted demand, built through the public API:
 * <ul>
 * <li>12 bargain hunters (2 coupon orders each) search "gluten free bread" and friends without finding
 * anything, and read the one gluten-free post the shop has;</li>
 * <li>8 power users read a two-year-old sourdough guide over and over;</li>
 * <li>15 visitors stuck in consideration view espresso machines and read the espresso category, which has no
 * comparison content;</li>
 * <li>10 customers read the cakes tag a lot, which is well covered (5 fresh posts);</li>
 * <li>40 casual visitors read a bit of everything.</li>
 * </ul>
 */
final class PlantedBakery {

    static final long GLUTEN_FREE_POST = 201;
    static final long SOURDOUGH_GUIDE = 301;
    static final List<Long> ESPRESSO_POSTS = List.of(401L, 402L, 403L, 404L);
    static final List<Long> CAKE_POSTS = List.of(101L, 102L, 103L, 104L, 105L);
    static final List<Long> BREAD_POSTS = List.of(111L, 112L, 113L);
    static final List<Long> BAKING_POSTS = List.of(311L, 312L, 313L, 314L);

    final BriefTestSite site;
    final Instant now;
    /** Anonymous ids per planted group, for the few assertions that need them. */
    final Map<String, List<String>> groups = new LinkedHashMap<>();

    private PlantedBakery(BriefTestSite site, Instant now) {
        this.site = site;
        this.now = now;
    }

    static PlantedBakery build(Instant now) {
        PlantedBakery bakery = new PlantedBakery(BriefTestSite.create("Bake & Brew", "Europe/Berlin"), now);
        bakery.catalog();
        bakery.events();
        return bakery;
    }

    private void catalog() {
        Instant recent = now.minus(Duration.ofDays(40));
        List<Map<String, Object>> items = new ArrayList<>();
        String[] cakes = { "Lemon Drizzle Cake", "Chocolate Fudge Cake", "Victoria Sponge", "Carrot Cake With Cream Cheese Frosting",
                "Upside-Down Pineapple Cake" };
        for (int i = 0; i < CAKE_POSTS.size(); i++) {
            items.add(post(CAKE_POSTS.get(i), cakes[i], "recipes", List.of("cakes"), recent.minus(Duration.ofDays(i * 9L)), "retention"));
        }
        String[] breads = { "Everyday White Loaf", "Seeded Rye Bread", "Soft Dinner Rolls" };
        for (int i = 0; i < BREAD_POSTS.size(); i++) {
            items.add(post(BREAD_POSTS.get(i), breads[i], "recipes", List.of("bread"), recent.minus(Duration.ofDays(i * 7L)), null));
        }
        items.add(post(GLUTEN_FREE_POST, "Our First Gluten-Free Loaf", "recipes", List.of("gluten-free", "bread"),
                now.minus(Duration.ofDays(240)), null));
        items.add(post(SOURDOUGH_GUIDE, "The Complete Sourdough Starter Guide (2024)", "baking", List.of("sourdough"),
                now.minus(Duration.ofDays(730)), "awareness"));
        String[] baking = { "How to Knead by Hand", "Proofing Baskets Explained", "Oven Temperatures Demystified", "Scoring Bread Like a Pro" };
        for (int i = 0; i < BAKING_POSTS.size(); i++) {
            items.add(post(BAKING_POSTS.get(i), baking[i], "baking", List.of("technique"), recent.minus(Duration.ofDays(i * 11L)), null));
        }
        String[] espresso = { "How to Descale Your Espresso Machine", "Dialing In Your First Shot", "Latte Art at Home",
                "Espresso Machine Maintenance Basics" };
        for (int i = 0; i < ESPRESSO_POSTS.size(); i++) {
            items.add(post(ESPRESSO_POSTS.get(i), espresso[i], "espresso-machines", List.of("espresso"), recent.minus(Duration.ofDays(i * 5L)),
                    i < 2 ? "retention" : "awareness"));
        }
        site.putContent(items);
    }

    private void events() {
        Random random = new Random(42);
        Instant today = now.truncatedTo(ChronoUnit.HOURS);

        List<String> bargain = group("bargain", 12);
        String[] queries = { "gluten free bread", "gluten free bread", "gluten free flour", "gluten-free pizza dough", "gluten free bread" };
        for (String visitor : bargain) {
            int[] days = { 21, 16, 11, 6, 2 };
            site.order(visitor, at(today, days[0], 19), 55 + random.nextInt(30), "SAVE10");
            site.order(visitor, at(today, days[2], 19), 60 + random.nextInt(30), "SPRING5");
            for (int i = 0; i < days.length; i++) {
                site.search(visitor, at(today, days[i], 10), queries[i]);
                // Hours later (well past the 30-minute answer window) they read what little the shop has.
                if (i % 2 == 0) {
                    site.read(visitor, at(today, days[i], 20), GLUTEN_FREE_POST, 240 + random.nextInt(90), 90);
                }
                site.read(visitor, at(today, days[i], 21), BREAD_POSTS.get(i % BREAD_POSTS.size()), 60, 40);
            }
        }

        List<String> power = group("power", 8);
        for (String visitor : power) {
            site.order(visitor, at(today, 5, 18), 45, null);
            for (int day = 1; day <= 28; day += 3) {
                site.read(visitor, at(today, day, 7), SOURDOUGH_GUIDE, 380 + random.nextInt(120), 95);
                site.read(visitor, at(today, day, 8), BAKING_POSTS.get(random.nextInt(BAKING_POSTS.size())), 120, 70);
                site.read(visitor, at(today, day, 9), ESPRESSO_POSTS.get(random.nextInt(ESPRESSO_POSTS.size())), 60, 50);
                site.read(visitor, at(today, day, 12), CAKE_POSTS.get(random.nextInt(CAKE_POSTS.size())), 60, 50);
            }
        }

        List<String> considering = group("considering", 15);
        String[] espressoQueries = { "espresso machine under 500", "breville vs delonghi", "espresso machine for beginners" };
        for (String visitor : considering) {
            int[] days = { 25, 18, 12, 5 };
            for (int i = 0; i < days.length; i++) {
                Instant start = at(today, days[i], 13);
                site.track(visitor, start, "Product Viewed", Map.of("product_id", "machine-" + (i + 1), "price", 450, "category", "espresso-machines"));
                site.search(visitor, start.plusSeconds(60), espressoQueries[i % espressoQueries.length]);
                site.read(visitor, start.plusSeconds(180), ESPRESSO_POSTS.get(i), 150 + random.nextInt(60), 60);
            }
        }

        List<String> cakeLovers = group("cakes", 10);
        for (String visitor : cakeLovers) {
            site.order(visitor, at(today, 8, 20), 35, null);
            for (int day = 3; day <= 23; day += 4) {
                site.read(visitor, at(today, day, 20), CAKE_POSTS.get(random.nextInt(CAKE_POSTS.size())), 200, 85);
                site.read(visitor, at(today, day, 21), CAKE_POSTS.get(random.nextInt(CAKE_POSTS.size())), 180, 80);
            }
        }

        List<Long> everything = new ArrayList<>();
        everything.addAll(CAKE_POSTS);
        everything.addAll(BREAD_POSTS);
        everything.addAll(BAKING_POSTS);
        everything.addAll(ESPRESSO_POSTS);
        everything.add(SOURDOUGH_GUIDE);
        List<String> casual = group("casual", 40);
        for (String visitor : casual) {
            int day = 1 + random.nextInt(27);
            site.read(visitor, at(today, day, 8 + random.nextInt(12)), everything.get(random.nextInt(everything.size())), 60 + random.nextInt(60), 45);
            site.read(visitor, at(today, day, 8 + random.nextInt(12)), everything.get(random.nextInt(everything.size())), 60 + random.nextInt(60), 45);
        }
        site.flush();
    }

    private List<String> group(String name, int size) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add(name + "-" + site.id + "-" + i);
        }
        groups.put(name, ids);
        return ids;
    }

    private static Instant at(Instant today, int daysAgo, int hourUtc) {
        Instant day = today.minus(Duration.ofDays(daysAgo)).truncatedTo(ChronoUnit.DAYS);
        return day.plus(Duration.ofHours(hourUtc));
    }
}
