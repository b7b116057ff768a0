package io.segmentpress.brief;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.segmentpress.brief.BriefApi.BriefInsight;
import io.segmentpress.brief.BriefApi.ContentLink;
import io.segmentpress.brief.BriefApi.Engagement;

/**
 * Closes the loop: how a published brief's target segment engaged with the post, next to how the
 * same segment engages with an average post over the same period. Membership is the segment's
 * current membership.
 */
@ApplicationScoped
public class BriefInsights {

    /**
     * One pass over the segment's events since publication, split into "this post" and "every other
     * post": views are page calls, reads are Content Engaged events, readers distinct members.
     */
    private static final String ENGAGEMENT = """
            SELECT e.post_id = ? AS this_post,
                   COUNT(DISTINCT e.post_id),
                   SUM(e.type = 'page'),
                   COUNT(DISTINCT e.visitor_id, e.post_id),
                   COALESCE(SUM(CASE WHEN e.name = 'Content Engaged' THEN e.engaged_seconds END), 0),
                   SUM(e.name = 'Content Engaged'),
                   AVG(CASE WHEN e.name = 'Content Engaged' THEN e.scroll_depth END)
            FROM event e
            JOIN segment_membership m ON m.visitor_id = e.visitor_id AND m.site_id = e.site_id AND m.segment_key = ?
            WHERE e.site_id = ? AND e.occurred_at >= ? AND e.post_id IS NOT NULL
            GROUP BY this_post""";

    @Inject
    DataSource dataSource;

    /** Every published or measured brief of the site, newest publication first. */
    public List<BriefInsight> forSite(long siteId) {
        List<Brief> published = Brief.list("siteId = :site and status in (:statuses)", Sort.descending("publishedAt").and("id"),
                Parameters.with("site", siteId).and("statuses", List.of(BriefStatus.PUBLISHED.apiName(), BriefStatus.MEASURED.apiName())));
        List<BriefInsight> insights = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (Brief brief : published) {
                insights.add(insight(connection, brief));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read brief insights for site " + siteId, e);
        }
        return insights;
    }

    private static BriefInsight insight(Connection connection, Brief brief) throws SQLException {
        ContentLink post = null;
        Engagement thisPost = new Engagement(0, 0, 0, null);
        Engagement usual = null;
        Double viewsIndex = null;
        Double timeIndex = null;
        if (brief.wpPostId != null) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT title, url FROM content_item WHERE site_id = ? AND content_id = ?")) {
                statement.setLong(1, brief.siteId);
                statement.setLong(2, brief.wpPostId);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        post = new ContentLink(brief.wpPostId, rs.getString(1), rs.getString(2));
                    }
                }
            }
            long thisReads = 0;
            long otherReads = 0;
            double otherSeconds = 0;
            try (PreparedStatement statement = connection.prepareStatement(ENGAGEMENT)) {
                statement.setLong(1, brief.wpPostId);
                statement.setString(2, brief.segmentKey);
                statement.setLong(3, brief.siteId);
                statement.setTimestamp(4, Timestamp.from(brief.publishedAt));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        long posts = rs.getLong(2);
                        Double completion = rs.getObject(7) == null ? null : round(rs.getDouble(7));
                        if (rs.getBoolean(1)) {
                            thisReads = rs.getLong(6);
                            thisPost = new Engagement(rs.getLong(3), rs.getLong(4), rs.getLong(5), completion);
                        } else if (posts > 0) {
                            otherReads = rs.getLong(6);
                            otherSeconds = rs.getLong(5);
                            usual = new Engagement(round((double) rs.getLong(3) / posts), round((double) rs.getLong(4) / posts),
                                    round(otherSeconds / posts), completion);
                        }
                    }
                }
            }
            if (usual != null && usual.views() > 0) {
                viewsIndex = round(thisPost.views() / usual.views());
            }
            if (thisReads > 0 && otherReads > 0 && otherSeconds > 0) {
                timeIndex = round((thisPost.engagedSeconds() / thisReads) / (otherSeconds / otherReads));
            }
        }
        return new BriefInsight(brief.id, brief.segmentKey, brief.title, brief.status, brief.wpPostId, post, brief.publishedAt, thisPost, usual,
                viewsIndex, timeIndex);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
