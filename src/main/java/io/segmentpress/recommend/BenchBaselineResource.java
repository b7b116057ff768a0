package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.KeyKind;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.common.error.ApiException;

/**
 * The latency benchmark's baseline (bench/recommend-latency.sh): one primary-key SELECT served
 * over HTTP with the same authentication as /v1/recommendations. Answers 404 unless
 * {@code segmentpress.bench.enabled=true}; hidden from the API document.
 */
@Path("/v1/bench/recommend-baseline")
@SiteKeyRequired({ KeyKind.SECRET, KeyKind.WRITE })
@Produces(MediaType.APPLICATION_JSON)
public class BenchBaselineResource {

    /** A content item's id and title. */
    public record Row(long contentId, String title) {
    }

    @Inject
    RecommendBenchConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    Caller caller;

    @GET
    @Operation(hidden = true)
    public Row get(@QueryParam("id") long contentId) {
        if (!config.enabled()) {
            throw ApiException.notFound("Not found");
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT content_id, title FROM content_item WHERE site_id = ? AND content_id = ?")) {
            statement.setLong(1, caller.siteId());
            statement.setLong(2, contentId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Not found");
                }
                return new Row(rs.getLong(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("baseline look-up failed", e);
        }
    }
}
