package io.segmentpress.site;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A WordPress site (tenant). Everything else in the database hangs off {@code site.id}. */
@Entity
@Table(name = "site")
public class Site extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    public String url;

    /** JSON array of origins (scheme://host[:port]) whose browsers may use the write key. */
    @Column(name = "allowed_origins")
    public String allowedOrigins;

    public String timezone;

    public String currency;

    /** JSON object of per-site overrides (segment thresholds and the like); null means defaults. */
    public String settings;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * Loads the site with its row locked until the transaction ends, for read-modify-write of
     * {@link #settings} (several features keep their part of it). A plain {@code SELECT … FOR
     * UPDATE}: the dialect's {@code FOR UPDATE OF} form is MySQL-only and MariaDB refuses it.
     */
    public static java.util.Optional<Site> findForUpdate(long siteId) {
        java.util.List<?> locked = getEntityManager()
                .createNativeQuery("SELECT id FROM site WHERE id = ?1 FOR UPDATE")
                .setParameter(1, siteId)
                .getResultList();
        return locked.isEmpty() ? java.util.Optional.empty() : findByIdOptional(siteId);
    }
}
