package io.segmentpress.segment.rule;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.DbTime;

/**
 * Translates a rule into one SQL query over the stored events (plus {@code segment_membership}
 * and {@code visitor_profile} for segment, interest and stage leaves) that selects the ids of a
 * site's visitors matching it. This is an evaluation path independent of the in-memory one:
 * the two are tested against each other on random rules and visitors.
 *
 * <p>Every predicate is two-valued (never SQL NULL), so {@code not} means exactly "does not hold".
 * Active days use the site's UTC offsets, computed here from the zone's rules, so the database
 * needs no time zone tables.
 */
public final class RuleSql {

    /** A statement and its parameters, in order. */
    public record Query(String sql, List<Object> parameters) {
    }

    /** How far back the active-day offsets are exact; events are kept about 400 days. */
    private static final Duration OFFSET_HISTORY = Duration.ofDays(1100);
    private static final String NUMBER_TYPES = "('INTEGER','DOUBLE','DECIMAL','UNSIGNED INTEGER')";

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();
    private final long siteId;
    private final Instant now;
    private final ZoneId zone;
    private int aliases;

    private RuleSql(long siteId, Instant now, ZoneId zone) {
        this.siteId = siteId;
        this.now = now.truncatedTo(ChronoUnit.MILLIS);
        this.zone = zone;
    }

    /** The query selecting {@code visitor.id} of every visitor of the site that matches the rule at {@code now}. */
    public static Query matchingVisitors(SegmentRule rule, long siteId, Instant now, ZoneId zone) {
        RuleSql writer = new RuleSql(siteId, now, zone);
        writer.sql.append("SELECT v.id FROM visitor v WHERE v.site_id = ");
        writer.param(siteId);
        writer.sql.append(" AND ");
        writer.condition(rule.root());
        return new Query(writer.sql.toString(), List.copyOf(writer.parameters));
    }

    private void condition(Condition condition) {
        if (condition instanceof Condition.All all) {
            joined(all.children(), " AND ");
        } else if (condition instanceof Condition.Any any) {
            joined(any.children(), " OR ");
        } else if (condition instanceof Condition.Not not) {
            sql.append("NOT ");
            sql.append('(');
            condition(not.child());
            sql.append(')');
        } else if (condition instanceof Condition.EventCount event) {
            eventCount(event);
        } else if (condition instanceof Condition.Trait trait) {
            trait(trait);
        } else if (condition instanceof Condition.MetricTest metric) {
            metric(metric);
        } else if (condition instanceof Condition.InSegment segment) {
            inSegment(segment.key());
        } else if (condition instanceof Condition.Interest interest) {
            membership(SegmentKeys.INTEREST_PREFIX + interest.slug());
        } else if (condition instanceof Condition.Stage stage) {
            stageIs(stage.key());
        } else {
            throw new IllegalStateException("no SQL for " + condition);
        }
    }

    private void joined(List<Condition> children, String operator) {
        sql.append('(');
        for (int i = 0; i < children.size(); i++) {
            if (i > 0) {
                sql.append(operator);
            }
            condition(children.get(i));
        }
        sql.append(')');
    }

    // --- event ------------------------------------------------------------------------------

    private void eventCount(Condition.EventCount event) {
        String e = alias("e");
        sql.append("(SELECT ");
        numberChecks("COUNT(*)", event.count());
        sql.append(" FROM event ").append(e).append(" WHERE ").append(e).append(".visitor_id = v.id AND ").append(e).append(".name = ");
        param(event.name());
        window(e, event.within());
        for (Condition.PropertyTest test : event.where()) {
            sql.append(" AND ");
            Consumer<StringBuilder> value = jsonValue(e + ".properties", test.keys());
            valueTest(value, test.test());
        }
        sql.append(')');
    }

    // --- trait ------------------------------------------------------------------------------

    private void trait(Condition.Trait trait) {
        String topPath = jsonPath(trait.keys().subList(0, 1));
        String i = alias("i");
        String later = alias("i");
        sql.append("(EXISTS (SELECT 1 FROM event ").append(i).append(" WHERE ").append(i).append(".visitor_id = v.id AND ")
                .append(i).append(".type = 'identify' AND JSON_CONTAINS_PATH(").append(i).append(".traits, 'one', ");
        param(topPath);
        sql.append(") AND NOT EXISTS (SELECT 1 FROM event ").append(later).append(" WHERE ").append(later).append(".visitor_id = ")
                .append(i).append(".visitor_id AND ").append(later).append(".type = 'identify' AND JSON_CONTAINS_PATH(").append(later)
                .append(".traits, 'one', ");
        param(topPath);
        sql.append(") AND (").append(later).append(".occurred_at > ").append(i).append(".occurred_at OR (").append(later)
                .append(".occurred_at = ").append(i).append(".occurred_at AND ").append(later).append(".id > ").append(i).append(".id))) AND ");
        valueTest(jsonValue(i + ".traits", trait.keys()), trait.test());
        sql.append(')');
        if (trait.test().test(null)) {
            // the test holds for a missing trait: also every visitor who never set it
            String any = alias("i");
            sql.append(" OR NOT EXISTS (SELECT 1 FROM event ").append(any).append(" WHERE ").append(any).append(".visitor_id = v.id AND ")
                    .append(any).append(".type = 'identify' AND JSON_CONTAINS_PATH(").append(any).append(".traits, 'one', ");
            param(topPath);
            sql.append("))");
        }
        sql.append(')');
    }

    // --- metric -----------------------------------------------------------------------------

    private void metric(Condition.MetricTest metric) {
        String e = alias("e");
        sql.append("(SELECT ");
        switch (metric.metric()) {
            case ORDERS -> numberChecks("COUNT(*)", metric.test());
            case REVENUE -> numberChecks("COALESCE(SUM(" + e + ".revenue), 0)", metric.test());
            case AOV -> {
                sql.append("COUNT(*) > 0");
                for (NumberTest.Check check : metric.test().checks()) {
                    sql.append(" AND COALESCE(SUM(").append(e).append(".revenue), 0) ").append(check.comparison().sql()).append(' ');
                    param(check.expected());
                    sql.append(" * COUNT(*)");
                }
            }
            case PAGE_VIEWS, SESSIONS -> numberChecks("COUNT(*)", metric.test());
            case ENGAGED_SECONDS -> numberChecks("COALESCE(SUM(" + e + ".engaged_seconds), 0)", metric.test());
            case ACTIVE_DAYS -> numberChecks("COUNT(*)", metric.test());
        }
        sql.append(" FROM event ").append(e).append(" WHERE ").append(e).append(".visitor_id = v.id");
        window(e, metric.within());
        switch (metric.metric()) {
            case ORDERS, REVENUE, AOV -> {
                sql.append(" AND ").append(e).append(".name = ");
                param(Metrics.ORDER_COMPLETED);
                sql.append(" AND NOT ");
                fullyRefunded(e);
            }
            case PAGE_VIEWS -> sql.append(" AND ").append(e).append(".type = 'page'");
            case SESSIONS -> {
                // a session starts at an event with no earlier event (in the window) less than 30 minutes before it
                String p = alias("p");
                sql.append(" AND NOT EXISTS (SELECT 1 FROM event ").append(p).append(" WHERE ").append(p).append(".visitor_id = ")
                        .append(e).append(".visitor_id");
                window(p, metric.within());
                sql.append(" AND ").append(p).append(".occurred_at >= ").append(e).append(".occurred_at - INTERVAL ")
                        .append(Metrics.SESSION_GAP.toMinutes()).append(" MINUTE AND (").append(p).append(".occurred_at < ").append(e)
                        .append(".occurred_at OR (").append(p).append(".occurred_at = ").append(e).append(".occurred_at AND ").append(p)
                        .append(".id < ").append(e).append(".id)))");
            }
            case ACTIVE_DAYS -> {
                // counts each day's first event. Not COUNT(DISTINCT day): MariaDB 10.11 carries its
                // distinct set over between runs of a correlated subquery and miscounts visitors
                String p = alias("p");
                sql.append(" AND NOT EXISTS (SELECT 1 FROM event ").append(p).append(" WHERE ").append(p).append(".visitor_id = ")
                        .append(e).append(".visitor_id");
                window(p, metric.within());
                sql.append(" AND ").append(p).append(".occurred_at >= ").append(e).append(".occurred_at - INTERVAL 1 DAY AND (")
                        .append(p).append(".occurred_at < ").append(e).append(".occurred_at OR (").append(p).append(".occurred_at = ")
                        .append(e).append(".occurred_at AND ").append(p).append(".id < ").append(e).append(".id)) AND ");
                localDate(p);
                sql.append(" = ");
                localDate(e);
                sql.append(')');
            }
            default -> {
            }
        }
        sql.append(')');
    }

    private void fullyRefunded(String order) {
        String r = alias("r");
        String from = " FROM event " + r + " WHERE " + r + ".visitor_id = " + order + ".visitor_id AND " + r + ".name = ";
        String sameOrder = " AND " + r + ".order_id = " + order + ".order_id";
        sql.append("(").append(order).append(".order_id IS NOT NULL AND ").append(order).append(".order_id <> '' AND (EXISTS (SELECT 1")
                .append(from);
        param(Metrics.ORDER_REFUNDED);
        sql.append(sameOrder).append(" AND ").append(r).append(".revenue IS NULL) OR COALESCE((SELECT SUM(").append(r).append(".revenue)")
                .append(from);
        param(Metrics.ORDER_REFUNDED);
        sql.append(sameOrder).append(") >= COALESCE(").append(order).append(".revenue, 0), FALSE)))");
    }

    // --- memberships ------------------------------------------------------------------------

    private void inSegment(String key) {
        sql.append('(');
        membership(key);
        if (key.startsWith(SegmentKeys.STAGE_PREFIX)) {
            sql.append(" OR ");
            stageIs(key);
        }
        sql.append(')');
    }

    private void membership(String key) {
        sql.append("EXISTS (SELECT 1 FROM segment_membership m WHERE m.site_id = ");
        param(siteId);
        sql.append(" AND m.segment_key = ");
        param(key);
        sql.append(" AND m.visitor_id = v.id)");
    }

    private void stageIs(String key) {
        sql.append("COALESCE((SELECT p.stage FROM visitor_profile p WHERE p.visitor_id = v.id), ");
        param(SegmentKeys.DEFAULT_STAGE);
        sql.append(") = ");
        param(key);
    }

    // --- building blocks --------------------------------------------------------------------

    /** {@code aggregate op ? AND aggregate op ?...}: one boolean over an aggregate. */
    private void numberChecks(String aggregate, NumberTest test) {
        for (int i = 0; i < test.checks().size(); i++) {
            NumberTest.Check check = test.checks().get(i);
            if (i > 0) {
                sql.append(" AND ");
            }
            sql.append(aggregate);
            sql.append(' ').append(check.comparison().sql()).append(' ');
            param(check.expected());
        }
    }

    private void window(String alias, Window within) {
        if (within != null) {
            sql.append(" AND ").append(alias).append(".occurred_at >= ");
            param(DbTime.format(within.cutoff(now, zone)));
        }
    }

    /** The calendar day of {@code alias.occurred_at} in the site's zone. */
    private void localDate(String alias) {
        ZoneRules rules = zone.getRules();
        Instant start = now.minus(OFFSET_HISTORY);
        List<ZoneOffsetTransition> transitions = new ArrayList<>();
        ZoneOffsetTransition next = rules.nextTransition(start);
        while (next != null && next.getInstant().isBefore(now.plus(Duration.ofDays(1)))) {
            transitions.add(next);
            next = rules.nextTransition(next.getInstant());
        }
        sql.append("DATE(").append(alias).append(".occurred_at + INTERVAL ");
        if (transitions.isEmpty()) {
            param(rules.getOffset(now).getTotalSeconds());
        } else {
            sql.append("(CASE");
            for (ZoneOffsetTransition transition : transitions) {
                sql.append(" WHEN ").append(alias).append(".occurred_at < ");
                param(DbTime.format(transition.getInstant()));
                sql.append(" THEN ");
                param(transition.getOffsetBefore().getTotalSeconds());
            }
            sql.append(" ELSE ");
            param(transitions.get(transitions.size() - 1).getOffsetAfter().getTotalSeconds());
            sql.append(" END)");
        }
        sql.append(" SECOND)");
    }

    /** Appends a JSON value (JSON text, or SQL NULL when missing) at {@code keys} inside {@code column}. */
    private Consumer<StringBuilder> jsonValue(String column, List<String> keys) {
        String path = jsonPath(keys);
        return out -> {
            out.append("JSON_EXTRACT(").append(column).append(", ?)");
            parameters.add(path);
        };
    }

    private static String jsonPath(List<String> keys) {
        StringBuilder path = new StringBuilder("$");
        for (String key : keys) {
            path.append(".\"").append(key).append('"'); // keys are letters, digits, '_', '-', ' ' only
        }
        return path.toString();
    }

    private void valueTest(Consumer<StringBuilder> value, ValueTest test) {
        sql.append('(');
        for (int i = 0; i < test.checks().size(); i++) {
            if (i > 0) {
                sql.append(" AND ");
            }
            ValueTest.Check check = test.checks().get(i);
            switch (check.operator()) {
                case EQ -> twoValued(() -> scalarEquals(value, check.expected()));
                case NEQ -> {
                    sql.append("NOT ");
                    twoValued(() -> scalarEquals(value, check.expected()));
                }
                case GT, GTE, LT, LTE -> twoValued(() -> {
                    sql.append("JSON_TYPE(");
                    value.accept(sql);
                    sql.append(") IN ").append(NUMBER_TYPES).append(" AND CAST(JSON_UNQUOTE(");
                    value.accept(sql);
                    sql.append(") AS DOUBLE) ").append(Comparison.valueOf(check.operator().name()).sql()).append(' ');
                    param(check.expected().doubleValue());
                });
                case IN -> twoValued(() -> {
                    for (int c = 0; c < check.expected().size(); c++) {
                        if (c > 0) {
                            sql.append(" OR ");
                        }
                        scalarEquals(value, check.expected().get(c));
                    }
                });
                case CONTAINS -> twoValued(() -> contains(value, check.expected()));
                case EXISTS -> {
                    if (!check.expected().booleanValue()) {
                        sql.append("NOT ");
                    }
                    twoValued(() -> {
                        value.accept(sql);
                        sql.append(" IS NOT NULL AND JSON_TYPE(");
                        value.accept(sql);
                        sql.append(") <> 'NULL'");
                    });
                }
            }
        }
        sql.append(')');
    }

    /** Wraps a predicate so that "unknown" (SQL NULL, e.g. a missing value) counts as false. */
    private void twoValued(Runnable predicate) {
        sql.append("COALESCE((");
        predicate.run();
        sql.append("), FALSE)");
    }

    private void scalarEquals(Consumer<StringBuilder> value, JsonNode expected) {
        sql.append("(JSON_TYPE(");
        value.accept(sql);
        if (expected.isTextual()) {
            sql.append(") = 'STRING' AND CAST(JSON_UNQUOTE(");
            value.accept(sql);
            sql.append(") AS BINARY) = CAST(");
            param(expected.textValue());
            sql.append(" AS BINARY))");
        } else if (expected.isNumber()) {
            sql.append(") IN ").append(NUMBER_TYPES).append(" AND CAST(JSON_UNQUOTE(");
            value.accept(sql);
            sql.append(") AS DOUBLE) = ");
            param(expected.doubleValue());
            sql.append(')');
        } else {
            sql.append(") = 'BOOLEAN' AND JSON_UNQUOTE(");
            value.accept(sql);
            sql.append(") = ");
            param(expected.booleanValue() ? "true" : "false");
            sql.append(')');
        }
    }

    private void contains(Consumer<StringBuilder> value, JsonNode expected) {
        sql.append('(');
        if (expected.isTextual()) {
            sql.append("(JSON_TYPE(");
            value.accept(sql);
            sql.append(") = 'STRING' AND LOCATE(CAST(");
            param(expected.textValue());
            sql.append(" AS BINARY), CAST(JSON_UNQUOTE(");
            value.accept(sql);
            sql.append(") AS BINARY)) > 0) OR ");
        }
        String element = alias("j");
        sql.append("(JSON_TYPE(");
        value.accept(sql);
        sql.append(") = 'ARRAY' AND EXISTS (SELECT 1 FROM JSON_TABLE(");
        value.accept(sql);
        sql.append(", '$[*]' COLUMNS (element JSON PATH '$')) ").append(element).append(" WHERE ");
        scalarEquals(out -> out.append(element).append(".element"), expected);
        sql.append(")))");
    }

    private void param(Object value) {
        sql.append('?');
        parameters.add(value);
    }

    private String alias(String prefix) {
        return prefix + (++aliases);
    }
}
