package io.segmentpress.brief;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A stored brief. The generated text lives in {@link #body} as JSON ({@link BriefContent}). */
@Entity
@Table(name = "brief")
public class Brief extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "site_id")
    public long siteId;

    @Column(name = "segment_key")
    public String segmentKey;

    @Column(name = "topic_key")
    public String topicKey;

    public String kind;

    @Column(name = "journey_stage")
    public String journeyStage;

    public String title;

    public int priority;

    public String rationale;

    public String body;

    /** Lower-case {@link BriefStatus} name, as in the API. */
    public String status;

    @Column(name = "wp_post_id")
    public Long wpPostId;

    @Column(name = "scheduled_for")
    public Instant scheduledFor;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "measured_at")
    public Instant measuredAt;

    @Column(name = "status_changed_at")
    public Instant statusChangedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public BriefStatus lifecycle() {
        return BriefStatus.fromApiName(status);
    }

    public void moveTo(BriefStatus next, Instant at) {
        status = next.apiName();
        statusChangedAt = at;
        updatedAt = at;
    }
}
