package io.segmentpress.site;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A site key, stored only as its hash. */
@Entity
@Table(name = "site_key")
public class SiteKey extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "site_id")
    public long siteId;

    /** {@code write} or {@code secret}. */
    public String kind;

    @Column(name = "key_hash")
    public String keyHash;

    /** Last four characters, so a person can tell which key is which. */
    @Column(name = "key_hint")
    public String keyHint;

    @Column(name = "created_at")
    public Instant createdAt;

    /** When the key stops working; null while it is the site's current key. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    static List<SiteKey> current(long siteId, String kind) {
        return list("siteId = ?1 and kind = ?2 and expiresAt is null", siteId, kind);
    }
}
