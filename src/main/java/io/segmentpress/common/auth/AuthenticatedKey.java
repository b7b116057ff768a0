package io.segmentpress.common.auth;

import java.time.Instant;
import java.util.List;

/** A site key as found in the database, with what the request filter needs to decide. */
public record AuthenticatedKey(long siteId, KeyKind kind, String keyHash, Instant expiresAt, List<String> allowedOrigins) {

    public boolean isActiveAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    public boolean allowsOrigin(String origin) {
        return allowedOrigins.contains("*") || allowedOrigins.stream().anyMatch(allowed -> allowed.equalsIgnoreCase(origin));
    }
}
