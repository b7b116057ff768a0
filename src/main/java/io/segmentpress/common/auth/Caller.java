package io.segmentpress.common.auth;

import jakarta.enterprise.context.RequestScoped;

import io.segmentpress.common.error.ApiException;

/** Who is calling in this request, filled in by {@link AuthFilter}. */
@RequestScoped
public class Caller {

    private Long siteId;
    private KeyKind kind;
    private boolean admin;

    public void admin() {
        this.admin = true;
    }

    public void site(long siteId, KeyKind kind) {
        this.siteId = siteId;
        this.kind = kind;
    }

    public boolean isAuthenticated() {
        return admin || siteId != null;
    }

    public boolean isAdmin() {
        return admin;
    }

    /** The calling site's id; only valid on endpoints that require a site key. */
    public long siteId() {
        if (siteId == null) {
            throw ApiException.unauthorized("A site key is required");
        }
        return siteId;
    }

    public KeyKind kind() {
        return kind;
    }

    public boolean hasSecretKey() {
        return kind == KeyKind.SECRET;
    }
}
