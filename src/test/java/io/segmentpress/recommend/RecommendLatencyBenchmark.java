package io.segmentpress.recommend;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import com.sun.management.OperatingSystemMXBean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.segmentpress.TestSites;
import io.segmentpress.segment.SegmentEngine;

/**
 * Latency and throughput of GET /v1/recommendations against a baseline endpoint of the same app
 * doing one primary-key SELECT (same auth, same HTTP stack, same database), on a site with 10,000
 * posts and 100,000 visitors. Run with bench/recommend-latency.sh; skipped in ordinary test runs.
 */
@QuarkusTest
@TestProfile(RecommendLatencyBenchmark.BenchProfile.class)
@EnabledIfSystemProperty(named = "bench", matches = "recommend")
class RecommendLatencyBenchmark {

    public static class BenchProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segmentpress.bench.enabled", "true", "segmentpress.segments.jobs-enabled", "false",
                    "quarkus.log.category.\"io.segmentpress\".level", "WARN");
        }
    }

    private static final int POSTS = Integer.getInteger("bench.posts", 10_000);
    private static final int VISITORS = Integer.getInteger("bench.visitors", 100_000);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 4);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 15);
    private static final int ROUNDS = Math.max(1, Integer.getInteger("bench.rounds", 3));
    private static final int MAX_WARM_UP_SECONDS = 300;
    private static final String CLIENT_THREAD = "bench-client-";
    private static final String SITE_NAME = "recommend-bench " + POSTS + "x" + VISITORS;

    @Inject
    DataSource dataSource;

    @Inject
    SiteModelStore models;

    @Inject
    SegmentEngine segments;

    @Inject
    RecommendationSettingsService settings;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL base;

    private long siteId;
    private String writeKey;
    private long firstVisitorAnon;

    @Test
    void recommendationsAgainstPrimaryKeyBaseline() throws Exception {
        long seedStarted = System.currentTimeMillis();
        boolean reused = prepareSite();
        if (count("SELECT COUNT(*) FROM visitor_profile WHERE site_id = " + siteId + " AND read_history IS NULL") > 0) {
            // profiles, memberships and the recommendation inputs on the profile row as the engine keeps them
            SegmentEngine.RecomputeResult recomputed = segments.recomputeSite(siteId);
            System.out.printf(Locale.ROOT, "Segment engine recompute: %d visitors, %d memberships in %d ms%n", recomputed.visitors(),
                    recomputed.memberships(), recomputed.tookMs());
        }
        long events = count("SELECT COUNT(*) FROM event WHERE site_id = " + siteId);
        System.out.printf(Locale.ROOT, "%nData: %d posts, %d visitors, %d page events, %d memberships (%s in %.1f s)%n", POSTS, VISITORS,
                events, count("SELECT COUNT(*) FROM segment_membership WHERE site_id = " + siteId), reused ? "reused" : "seeded",
                (System.currentTimeMillis() - seedStarted) / 1000.0);
        System.out.println("Durability: innodb_flush_log_at_trx_commit=" + variable("innodb_flush_log_at_trx_commit")
                + ", concurrency " + CONCURRENCY + " closed-loop clients, keep-alive, " + SECONDS + " s per round, " + ROUNDS + " rounds of each endpoint");

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        IntFunction<URI> baseline = i -> uri("v1/bench/recommend-baseline?id=" + (1 + ThreadLocalRandom.current().nextInt(POSTS)));
        // the first half of the visitors is folded; the second half has events the engine has not folded yet (a mark), as a
        // visitor has while the page view that asks for the list is still on its way into the profile
        int folded = VISITORS / 2;
        IntFunction<URI> ours = i -> uri("v1/recommendations?limit=5&visitor=bench-" + (firstVisitorAnon + ThreadLocalRandom.current().nextInt(folded))
                + "&context=" + (1 + ThreadLocalRandom.current().nextInt(POSTS)));
        IntFunction<URI> unfolded = i -> uri("v1/recommendations?limit=5&visitor=bench-"
                + (firstVisitorAnon + folded + ThreadLocalRandom.current().nextInt(VISITORS - folded))
                + "&context=" + (1 + ThreadLocalRandom.current().nextInt(POSTS)));
        markUnfolded(firstVisitorAnon + folded);
        long modelStarted = System.currentTimeMillis();
        send(client, ours.apply(0), Duration.ofMinutes(10)); // loads the site's catalog, starts building its statistics
        long firstAnswer = System.currentTimeMillis() - modelStarted;
        boolean built = models.awaitStats(siteId, Duration.ofMinutes(10));
        System.out.printf(Locale.ROOT, "First request answered in %d ms; behavior statistics %s %d ms after it%n", firstAnswer,
                built ? "built in the background" : "NOT built", System.currentTimeMillis() - modelStarted);
        String sample = send(client, ours.apply(0), Duration.ofSeconds(10)).body();
        System.out.printf(Locale.ROOT, "A sample answer: %s%n", sample.length() > 400 ? sample.substring(0, 400) + "…" : sample);

        warmUp(client, baseline, ours, unfolded);
        // rounds alternate, so load from elsewhere on the machine falls on every endpoint alike
        Result baselineResult = null;
        Result oursResult = null;
        Result controlResult = null;
        Result unfoldedResult = null;
        double[] roundRatios = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            Result b = run(client, baseline, SECONDS);
            Result o = run(client, ours, SECONDS);
            Result c = runControl(client, ours, SECONDS);
            Result u = run(client, unfolded, SECONDS);
            roundRatios[round] = o.throughput() / b.throughput();
            baselineResult = round == 0 ? b : Result.merge(baselineResult, b);
            oursResult = round == 0 ? o : Result.merge(oursResult, o);
            controlResult = round == 0 ? c : Result.merge(controlResult, c);
            unfoldedResult = round == 0 ? u : Result.merge(unfoldedResult, u);
        }
        clearMarks();

        System.out.printf(Locale.ROOT, "%n%-40s %10s %10s %12s %8s %10s %10s%n", "endpoint", "p50 ms", "p99 ms", "req/s", "errors",
                "app µs/req", "db µs/req");
        print("baseline: one primary-key SELECT", baselineResult);
        print("GET /v1/recommendations (limit 5)", oursResult);
        print("  the same, control list (no ranking)", controlResult);
        print("  the same, events not folded yet", unfoldedResult);
        printAppCpu(baselineResult, oursResult, controlResult);
        System.out.printf(Locale.ROOT, "Known visitors read from the profile row: %.0f, from the membership and event tables: %.0f%n",
                visitorReads("profile"), visitorReads("events"));
        double p99Ratio = oursResult.p99() / baselineResult.p99();
        double throughputRatio = oursResult.throughput() / baselineResult.throughput();
        System.out.printf(Locale.ROOT, "%-40s %10.2f %10.2f %12.2f%n", "ratio ours / baseline", oursResult.p50() / baselineResult.p50(), p99Ratio,
                throughputRatio);
        System.out.printf(Locale.ROOT, "%-40s %10.2f %10.2f %12.2f%n", "ratio control list / baseline", controlResult.p50() / baselineResult.p50(),
                controlResult.p99() / baselineResult.p99(), controlResult.throughput() / baselineResult.throughput());
        double[] sortedRatios = roundRatios.clone();
        Arrays.sort(sortedRatios);
        System.out.printf(Locale.ROOT, "Throughput ratio per round: %s (median %.2f)%n",
                Arrays.stream(roundRatios).mapToObj(r -> String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(", ")),
                sortedRatios[ROUNDS / 2]);
        System.out.printf(Locale.ROOT, "Targets: p99 <= 1.5 x baseline: %s (%.2f); p99 <= 5 ms: %s (%.2f ms); throughput >= 0.8 x: %s (%.2f)%n%n",
                p99Ratio <= 1.5 ? "met" : "MISSED", p99Ratio, oursResult.p99() <= 5 ? "met" : "MISSED", oursResult.p99(),
                throughputRatio >= 0.8 ? "met" : "MISSED", throughputRatio);
    }

    /**
     * Alternates the endpoints (baseline, ranked list, control list, visitors with events not
     * folded yet) in 5-second rounds until the JIT compiler is quiet (under 2 % of the time
     * compiling over a set of rounds), at most {@link #MAX_WARM_UP_SECONDS}: with every core busy
     * serving, the compiler gets little CPU, and rounds measured while it still compiles the hot
     * paths would compare half-compiled code.
     */
    private void warmUp(HttpClient client, IntFunction<URI> baseline, IntFunction<URI> ours, IntFunction<URI> unfolded)
            throws InterruptedException {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        long started = System.nanoTime();
        double compiling;
        do {
            long compiledBefore = compiler.getTotalCompilationTime();
            long pairStarted = System.nanoTime();
            run(client, baseline, 5);
            run(client, ours, 5);
            runControl(client, ours, 5);
            run(client, unfolded, 5);
            compiling = (compiler.getTotalCompilationTime() - compiledBefore) / ((System.nanoTime() - pairStarted) / 1e6);
        } while (compiling > 0.02 && System.nanoTime() - started < MAX_WARM_UP_SECONDS * 1_000_000_000L);
        System.out.printf(Locale.ROOT, "Warm-up: %.0f s, the JIT compiler busy %.1f %% of the last 20 s%n", (System.nanoTime() - started) / 1e9,
                compiling * 100);
    }

    /** Marks the visitors from this anonymous number on as having events not folded yet (the segment jobs are off here). */
    private void markUnfolded(long fromAnon) throws SQLException {
        clearMarks();
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO visitor_dirty (site_id, visitor_id, marked_at, claimed) SELECT site_id, visitor_id, UTC_TIMESTAMP(3), 0 "
                        + "FROM visitor_identity WHERE site_id = ? AND kind = 'anon' AND CAST(SUBSTRING(external_id, 7) AS UNSIGNED) >= ?")) {
            connection.setAutoCommit(true);
            statement.setLong(1, siteId);
            statement.setLong(2, fromAnon);
            statement.executeUpdate();
        }
    }

    private void clearMarks() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("DELETE FROM visitor_dirty WHERE site_id = ?")) {
            connection.setAutoCommit(true);
            statement.setLong(1, siteId);
            statement.executeUpdate();
        }
    }

    private double visitorReads(String source) {
        Counter counter = registry.find("segmentpress.recommend.visitor.reads").tag("source", source).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * Latencies of one or more rounds, with the CPU time the app (this JVM: server and clients) and
     * the database server spent in them; the database's is -1 where its process cannot be read.
     */
    private record Result(long[] latenciesNanos, int errors, double seconds, long appCpuNanos, long databaseCpuNanos,
            Map<String, Long> appCpuByThreads) {
        static Result merge(Result a, Result b) {
            long[] all = Arrays.copyOf(a.latenciesNanos, a.latenciesNanos.length + b.latenciesNanos.length);
            System.arraycopy(b.latenciesNanos, 0, all, a.latenciesNanos.length, b.latenciesNanos.length);
            Arrays.sort(all);
            long databaseCpu = a.databaseCpuNanos < 0 || b.databaseCpuNanos < 0 ? -1 : a.databaseCpuNanos + b.databaseCpuNanos;
            Map<String, Long> byThreads = new TreeMap<>(a.appCpuByThreads);
            b.appCpuByThreads.forEach((group, nanos) -> byThreads.merge(group, nanos, Long::sum));
            return new Result(all, a.errors + b.errors, a.seconds + b.seconds, a.appCpuNanos + b.appCpuNanos, databaseCpu, byThreads);
        }

        double microsPerRequest(long nanos) {
            return latenciesNanos.length == 0 ? 0 : nanos / 1e3 / latenciesNanos.length;
        }

        double appCpuMicrosPerRequest() {
            return latenciesNanos.length == 0 ? 0 : appCpuNanos / 1e3 / latenciesNanos.length;
        }

        double databaseCpuMicrosPerRequest() {
            return latenciesNanos.length == 0 || databaseCpuNanos < 0 ? Double.NaN : databaseCpuNanos / 1e3 / latenciesNanos.length;
        }

        double percentile(double p) {
            return latenciesNanos.length == 0 ? 0 : latenciesNanos[(int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1)] / 1e6;
        }

        double p50() {
            return percentile(0.50);
        }

        double p99() {
            return percentile(0.99);
        }

        double throughput() {
            return latenciesNanos.length / seconds;
        }
    }

    private static void print(String name, Result result) {
        System.out.printf(Locale.ROOT, "%-40s %10.2f %10.2f %12.0f %8d %10.0f %10.0f%n", name, result.p50(), result.p99(), result.throughput(),
                result.errors(), result.appCpuMicrosPerRequest(), result.databaseCpuMicrosPerRequest());
    }

    /** Where each endpoint's app CPU time went, per request, by the threads that spent it. */
    private static void printAppCpu(Result baseline, Result ours, Result control) {
        System.out.printf(Locale.ROOT, "%nApp CPU per request by threads (µs)%-21s %10s %10s %10s%n", "", "baseline", "ours", "control");
        Map<String, Long> groups = new TreeMap<>(baseline.appCpuByThreads());
        ours.appCpuByThreads().keySet().forEach(group -> groups.putIfAbsent(group, 0L));
        control.appCpuByThreads().keySet().forEach(group -> groups.putIfAbsent(group, 0L));
        groups.keySet().forEach(group -> System.out.printf(Locale.ROOT, "  %-52s %10.0f %10.0f %10.0f%n", group,
                baseline.microsPerRequest(baseline.appCpuByThreads().getOrDefault(group, 0L)),
                ours.microsPerRequest(ours.appCpuByThreads().getOrDefault(group, 0L)),
                control.microsPerRequest(control.appCpuByThreads().getOrDefault(group, 0L))));
    }

    /**
     * The same requests while the site's experiment sends every visitor to the control list (the
     * most popular items, with the same exclusions): the whole request path but the ranking, so
     * the difference to the ranked list is what ranking costs.
     */
    private Result runControl(HttpClient client, IntFunction<URI> ours, int seconds) throws InterruptedException {
        settings.update(siteId, new RecommendationApi.Settings(100));
        try {
            return run(client, ours, seconds);
        } finally {
            settings.update(siteId, new RecommendationApi.Settings(0));
        }
    }

    /** CPU time of this JVM's live threads so far, by what they do; what the process spent beyond them is the JVM's own (GC, JIT). */
    private static Map<String, Long> threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            long nanos = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                byGroup.merge(threadGroup(info.getThreadName()), nanos, Long::sum);
            }
        }
        return byGroup;
    }

    private static String threadGroup(String name) {
        if (name.startsWith("executor-thread")) {
            return "request threads (handlers, filters, JSON)";
        }
        if (name.startsWith("vert.x-eventloop")) {
            return "HTTP I/O threads";
        }
        if (name.startsWith("HttpClient") || name.startsWith(CLIENT_THREAD)) {
            return "load generator (this benchmark's clients)";
        }
        return "other threads";
    }

    /** CPU time of this JVM so far. */
    private static long appCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the local database server so far (user + system, from /proc), or -1 if there is none to read. */
    private static long databaseCpuNanos() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                Path comm = process.resolve("comm");
                if (!process.getFileName().toString().chars().allMatch(Character::isDigit) || !Files.isReadable(comm)) {
                    continue;
                }
                String name = Files.readString(comm).trim();
                if (name.equals("mariadbd") || name.equals("mysqld")) {
                    String stat = Files.readString(process.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15 of stat)
                    return ticks * 10_000_000L; // USER_HZ is 100 on Linux
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** {@link #CONCURRENCY} clients, each sending its next request when the previous answer arrived, for {@code seconds}. */
    private Result run(HttpClient client, IntFunction<URI> next, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perClient = Collections.synchronizedList(new ArrayList<>());
        int[] errors = new int[1];
        List<Thread> threads = new ArrayList<>();
        AtomicLong clientCpu = new AtomicLong();
        Map<String, Long> threadCpuBefore = threadCpuNanos();
        long appCpuBefore = appCpuNanos();
        long databaseCpuBefore = databaseCpuNanos();
        long started = System.nanoTime();
        for (int c = 0; c < CONCURRENCY; c++) {
            Thread thread = new Thread(() -> {
                long[] latencies = new long[1 << 16];
                int count = 0;
                while (System.nanoTime() < end) {
                    URI uri = next.apply(count);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = send(client, uri, Duration.ofSeconds(10));
                        long took = System.nanoTime() - t0;
                        if (response.statusCode() != 200) {
                            synchronized (errors) {
                                errors[0]++;
                            }
                            continue;
                        }
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = took;
                    } catch (Exception e) {
                        synchronized (errors) {
                            errors[0]++;
                        }
                    }
                }
                perClient.add(Arrays.copyOf(latencies, count));
                clientCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()); // gone before the next snapshot
            }, CLIENT_THREAD + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long appCpu = appCpuNanos() - appCpuBefore;
        Map<String, Long> byThreads = threadCpuNanos();
        byThreads.replaceAll((group, nanos) -> nanos - threadCpuBefore.getOrDefault(group, 0L));
        byThreads.merge(threadGroup(CLIENT_THREAD), clientCpu.get(), Long::sum);
        byThreads.put("JVM itself (GC, JIT; the rest of the process)", appCpu - byThreads.values().stream().mapToLong(Long::longValue).sum());
        long databaseCpuAfter = databaseCpuNanos();
        long databaseCpu = databaseCpuBefore < 0 || databaseCpuAfter < 0 ? -1 : databaseCpuAfter - databaseCpuBefore;
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all, errors[0], elapsed, appCpu, databaseCpu, byThreads);
    }

    private HttpResponse<String> send(HttpClient client, URI uri, Duration timeout) {
        try {
            return client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + writeKey).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(base.toString() + path);
    }

    /** Reuses the site of an earlier run (with a fresh write key) or creates and seeds it. */
    private boolean prepareSite() throws SQLException {
        List<Map<String, Object>> sites = TestSites.asAdmin().get("/v1/sites").then().statusCode(200).extract().jsonPath().getList("$");
        for (Map<String, Object> site : sites) {
            long id = ((Number) site.get("id")).longValue();
            if (SITE_NAME.equals(site.get("name")) && count("SELECT COUNT(*) FROM content_item WHERE site_id = " + id) == POSTS
                    && count("SELECT COUNT(*) FROM visitor_identity WHERE site_id = " + id) == VISITORS) {
                siteId = id;
                writeKey = TestSites.asAdmin().body(Map.of("which", "write")).post("/v1/sites/" + id + "/keys/rotate?immediately=true")
                        .then().statusCode(200).extract().path("key");
                firstVisitorAnon = 0;
                return true;
            }
        }
        JsonPath created = TestSites.asAdmin().body(Map.of("name", SITE_NAME, "url", "https://bench.example.com", "timezone", "UTC", "currency", "USD"))
                .post("/v1/sites").then().statusCode(201).extract().jsonPath();
        siteId = created.getLong("id");
        writeKey = created.getString("writeKey");
        firstVisitorAnon = 0;
        seed();
        return false;
    }

    /** Writes the generated site straight into the tables ingest and the segment engine fill. */
    private void seed() throws SQLException {
        long now = System.currentTimeMillis();
        PlantedTasteSite site = new PlantedTasteSite(2026, POSTS, 20, VISITORS, now - 60_000);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true); // each multi-row INSERT commits on its own
            Timestamp synced = new Timestamp(now);
            try (Rows content = new Rows(connection, "INSERT INTO content_item (site_id, content_id, title, url, type, status, published_at, "
                    + "categories, tags, word_count, on_sale, price, synced_at) VALUES ", 13);
                    Rows terms = new Rows(connection, "INSERT INTO content_term (site_id, content_id, taxonomy, slug, name) VALUES ", 5)) {
                for (CatalogItem item : site.items) {
                    content.add(siteId, item.contentId(), item.title(), item.url(), item.type(), "publish", new Timestamp(item.publishedAtMillis()),
                            "[]", "[]", item.wordCount(), item.onSale(), item.price(), synced);
                    for (CatalogItem.Term term : item.categories()) {
                        terms.add(siteId, item.contentId(), "category", term.slug(), term.name());
                    }
                    for (CatalogItem.Term term : item.tags()) {
                        terms.add(siteId, item.contentId(), "tag", term.slug(), term.name());
                    }
                }
            }
            long firstVisitorId;
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM visitor")) {
                rs.next();
                firstVisitorId = rs.getLong(1);
            }
            try (Rows visitors = new Rows(connection, "INSERT INTO visitor (id, site_id, created_at) VALUES ", 3);
                    Rows identities = new Rows(connection, "INSERT INTO visitor_identity (site_id, kind, external_id, visitor_id, created_at) VALUES ", 5);
                    Rows profiles = new Rows(connection, "INSERT INTO visitor_profile (visitor_id, site_id, page_views, stage, interests, computed_at) VALUES ", 6);
                    Rows memberships = new Rows(connection, "INSERT INTO segment_membership (site_id, segment_key, visitor_id, since) VALUES ", 4);
                    Rows events = new Rows(connection, "INSERT INTO event (site_id, visitor_id, message_id, type, occurred_at, received_at, post_id) VALUES ", 7)) {
                for (int v = 0; v < VISITORS; v++) {
                    long visitorId = firstVisitorId + v;
                    long generated = v + 1;
                    visitors.add(visitorId, siteId, synced);
                    identities.add(siteId, "anon", "bench-" + v, visitorId, synced);
                    List<long[]> reads = site.readsByVisitor.getOrDefault(generated, List.of());
                    List<String> segments = site.plantedSegments.getOrDefault(generated, List.of("stage:awareness"));
                    String stage = segments.stream().filter(s -> s.startsWith("stage:")).findFirst().orElse("stage:awareness");
                    java.util.Map<String, Integer> byCategory = new java.util.HashMap<>();
                    for (long[] read : reads) {
                        byCategory.merge(site.items.get((int) read[0] - 1).categories().get(0).slug(), 1, Integer::sum);
                        events.add(siteId, visitorId, "bench-" + visitorId + "-" + read[0], "page", new Timestamp(read[1]), new Timestamp(read[1]), read[0]);
                    }
                    StringBuilder interests = new StringBuilder("[");
                    byCategory.forEach((slug, n) -> interests.append(interests.length() > 1 ? "," : "").append("{\"category\":\"").append(slug)
                            .append("\",\"share\":").append(String.format(Locale.ROOT, "%.3f", n / (double) reads.size())).append(",\"reads\":").append(n).append('}'));
                    profiles.add(visitorId, siteId, reads.size(), stage, interests.append(']').toString(), synced);
                    for (String segment : segments) {
                        memberships.add(siteId, segment, visitorId, synced);
                    }
                    byCategory.forEach((slug, n) -> {
                        if (n >= 3 && n >= 0.25 * reads.size()) {
                            memberships.add(siteId, "interest:" + slug, visitorId, synced);
                        }
                    });
                }
            }
        }
    }

    /** Multi-row INSERTs of up to 1,000 rows each. */
    private static final class Rows implements AutoCloseable {
        private static final int ROWS = 1000;
        private final Connection connection;
        private final String prefix;
        private final int columns;
        private final List<Object> values = new ArrayList<>();

        Rows(Connection connection, String prefix, int columns) {
            this.connection = connection;
            this.prefix = prefix;
            this.columns = columns;
        }

        void add(Object... row) {
            values.addAll(Arrays.asList(row));
            if (values.size() == ROWS * columns) {
                flush();
            }
        }

        private void flush() {
            if (values.isEmpty()) {
                return;
            }
            int rows = values.size() / columns;
            String row = "(" + String.join(",", Collections.nCopies(columns, "?")) + ")";
            try (PreparedStatement statement = connection.prepareStatement(prefix + String.join(",", Collections.nCopies(rows, row)))) {
                for (int i = 0; i < values.size(); i++) {
                    statement.setObject(i + 1, values.get(i));
                }
                statement.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            values.clear();
        }

        @Override
        public void close() {
            flush();
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String variable(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@" + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
