package io.segmentpress.common.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.segmentpress.common.Json;
import io.segmentpress.common.ServiceConfig;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.time.AppClock;

/**
 * Turns a presented key into the site and kind it stands for. Look-ups are cached briefly
 * (cache {@code site-keys}) because every ingest request needs one; rotation and site changes
 * clear the cache on this replica, other replicas follow within its expiry.
 */
@ApplicationScoped
public class KeyAuthenticator {

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    @Inject
    Caller caller;

    @Inject
    ServiceConfig config;

    @Inject
    @CacheName("site-keys")
    Cache cache;

    /**
     * Authenticates {@code presentedKey} for this request: checks that it exists, has not
     * expired, is of an accepted kind and, for write keys, that a browser origin is allowed.
     */
    public void authenticate(String presentedKey, Set<KeyKind> accepted, String origin) {
        if (presentedKey == null || presentedKey.isBlank()) {
            throw ApiException.unauthorized("A site key is required (Authorization: Bearer <key>)");
        }
        KeyKind presentedKind = KeyKind.fromKey(presentedKey);
        Optional<AuthenticatedKey> found = presentedKind == null ? Optional.empty() : lookup(presentedKey);
        AuthenticatedKey key = found
                .filter(k -> Keys.constantTimeEquals(k.keyHash(), Keys.hash(presentedKey)))
                .filter(k -> k.isActiveAt(clock.now()))
                .orElseThrow(() -> ApiException.unauthorized("The key is unknown or has been revoked"));
        if (!accepted.contains(key.kind())) {
            throw ApiException.forbidden("A " + key.kind().apiName() + " key may not call this endpoint; use the site's secret key");
        }
        if (key.kind() == KeyKind.WRITE && origin != null && !key.allowsOrigin(origin)) {
            throw ApiException.forbidden("Origin " + origin + " is not in the site's allowedOrigins");
        }
        caller.site(key.siteId(), key.kind());
    }

    /** Checks the operator's admin token (constant-time); refuses every call when none is configured. */
    public void authenticateAdmin(String presented) {
        String expected = config.adminToken().filter(token -> !token.isBlank()).orElse(null);
        if (presented == null) {
            throw ApiException.unauthorized("The admin token is required (Authorization: Bearer <token>)");
        }
        if (expected == null || !Keys.constantTimeEquals(presented, expected)) {
            if (KeyKind.fromKey(presented) != null && lookup(presented).filter(k -> k.isActiveAt(clock.now())).isPresent()) {
                throw ApiException.forbidden("Site keys cannot administer sites; use the operator's admin token");
            }
            throw ApiException.unauthorized("The admin token is not valid");
        }
        caller.admin();
    }

    /** Forgets every cached look-up on this replica (after rotation or a change of origins). */
    public void invalidateAll() {
        cache.invalidateAll().await().indefinitely();
    }

    private Optional<AuthenticatedKey> lookup(String presentedKey) {
        String hash = Keys.hash(presentedKey);
        return cache.<String, Optional<AuthenticatedKey>>get(hash, this::load).await().indefinitely();
    }

    private Optional<AuthenticatedKey> load(String hash) {
        String sql = "SELECT k.site_id, k.kind, k.key_hash, k.expires_at, s.allowed_origins "
                + "FROM site_key k JOIN site s ON s.id = k.site_id WHERE k.key_hash = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, hash);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp expires = rs.getTimestamp(4);
                return Optional.of(new AuthenticatedKey(rs.getLong(1), KeyKind.fromApiName(rs.getString(2)), rs.getString(3),
                        expires == null ? null : expires.toInstant(), Json.readStringList(rs.getString(5))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("key look-up failed", e);
        }
    }
}
