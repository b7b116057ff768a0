package io.segmentpress.common;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Random keys the service itself needs (not site keys), shared by every replica through the
 * {@code service_secret} table: the first replica that asks for one creates it, every other one
 * reads the same bytes. Nothing to configure, and a restart keeps what the key signed valid.
 */
@ApplicationScoped
public class ServiceSecrets {

    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();

    @Inject
    DataSource dataSource;

    /** The secret called {@code name}, created on first use; a copy, so callers cannot change it. */
    public byte[] get(String name) {
        return secrets.computeIfAbsent(name, this::loadOrCreate).clone();
    }

    private byte[] loadOrCreate(String name) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            byte[] existing = stored(connection, name);
            if (existing != null) {
                return existing;
            }
            byte[] fresh = new byte[SECRET_BYTES];
            RANDOM.nextBytes(fresh);
            // replicas starting together meet at the primary key: one insert wins, all read the winner's
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT IGNORE INTO service_secret (name, secret, created_at) VALUES (?, ?, UTC_TIMESTAMP(3))")) {
                insert.setString(1, name);
                insert.setBytes(2, fresh);
                insert.executeUpdate();
            }
            byte[] winner = stored(connection, name);
            if (winner == null) {
                throw new IllegalStateException("service secret " + name + " vanished right after it was stored");
            }
            return winner;
        } catch (SQLException e) {
            throw new IllegalStateException("reading service secret " + name + " failed", e);
        }
    }

    private static byte[] stored(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT secret FROM service_secret WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
