package io.segmentpress.segment.rule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Evaluates a rule for a whole site in the database (see {@link RuleSql}): the ids of every
 * visitor of the site that matches it.
 */
@ApplicationScoped
public class SqlRuleEvaluator {

    @Inject
    DataSource dataSource;

    /** The ids of the site's visitors matching {@code rule} at {@code now}, windows counted in {@code zone}. */
    public Set<Long> matchingVisitors(long siteId, SegmentRule rule, Instant now, ZoneId zone) {
        RuleSql.Query query = RuleSql.matchingVisitors(rule, siteId, now, zone);
        Set<Long> visitors = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(query.sql())) {
            List<Object> parameters = query.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    visitors.add(rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("custom segment rule could not be evaluated in the database", e);
        }
        return visitors;
    }
}
