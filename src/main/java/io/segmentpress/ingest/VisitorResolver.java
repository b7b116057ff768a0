package io.segmentpress.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.segmentpress.common.DbTime;

/**
 * Maps the anonymousIds and userIds of a batch to visitors, inside the batch's transaction.
 * New ids get a new visitor; an event carrying both an anonymousId and a userId that belong
 * to different visitors merges the anonymous visitor into the user's (events and ids move,
 * the merged visitor row is deleted and the segment engine drops what it had for it).
 */
final class VisitorResolver {

    static final String ANON = "anon";
    static final String USER = "user";

    /** An identity key: kind and external id. */
    record Identity(String kind, String externalId) implements Comparable<Identity> {
        @Override
        public int compareTo(Identity other) {
            int byKind = kind.compareTo(other.kind);
            return byKind != 0 ? byKind : externalId.compareTo(other.externalId);
        }
    }

    /** The visitor of every identity in the batch, and every visitor touched. */
    record Resolution(Map<Identity, Long> visitors, Set<Long> touched) {
        long visitorOf(IncomingEvent event) {
            Identity key = event.userId() != null ? new Identity(USER, event.userId()) : new Identity(ANON, event.anonymousId());
            return visitors.get(key);
        }
    }

    private final Connection connection;
    private final long siteId;
    private final Instant now;

    VisitorResolver(Connection connection, long siteId, Instant now) {
        this.connection = connection;
        this.siteId = siteId;
        this.now = now;
    }

    Resolution resolve(List<IncomingEvent> events) throws SQLException {
        Set<Identity> wanted = new LinkedHashSet<>();
        for (IncomingEvent event : events) {
            if (event.anonymousId() != null) {
                wanted.add(new Identity(ANON, event.anonymousId()));
            }
            if (event.userId() != null) {
                wanted.add(new Identity(USER, event.userId()));
            }
        }
        Map<Identity, Long> known = load(wanted, false);
        Map<Identity, Long> assigned = new HashMap<>(known);
        Map<Long, Long> merges = new LinkedHashMap<>();
        List<List<Identity>> newVisitorGroups = new ArrayList<>();
        Map<Identity, Integer> pendingGroup = new HashMap<>();

        for (IncomingEvent event : events) {
            Identity user = event.userId() == null ? null : new Identity(USER, event.userId());
            Identity anon = event.anonymousId() == null ? null : new Identity(ANON, event.anonymousId());
            Long userVisitor = user == null ? null : current(assigned.get(user), merges);
            Long anonVisitor = anon == null ? null : current(assigned.get(anon), merges);
            if (user != null && anon != null && userVisitor != null && anonVisitor != null && !userVisitor.equals(anonVisitor)) {
                merges.put(anonVisitor, userVisitor);
                continue;
            }
            Long visitor = userVisitor != null ? userVisitor : anonVisitor;
            if (visitor != null) {
                if (user != null && userVisitor == null) {
                    joinPending(user, visitor, assigned, pendingGroup, newVisitorGroups);
                }
                if (anon != null && anonVisitor == null) {
                    joinPending(anon, visitor, assigned, pendingGroup, newVisitorGroups);
                }
                continue;
            }
            // Neither id has a visitor yet: ids first seen in this batch share a pending group.
            Integer group = user != null && pendingGroup.containsKey(user) ? pendingGroup.get(user)
                    : anon != null ? pendingGroup.get(anon) : null;
            if (group == null) {
                group = newVisitorGroups.size();
                newVisitorGroups.add(new ArrayList<>());
            }
            for (Identity id : new Identity[] { user, anon }) {
                if (id != null && !pendingGroup.containsKey(id)) {
                    pendingGroup.put(id, group);
                    newVisitorGroups.get(group).add(id);
                }
            }
        }

        Set<Long> touched = new LinkedHashSet<>();
        Map<Identity, Long> newLinks = new TreeMap<>();
        List<List<Identity>> groups = newVisitorGroups.stream().filter(group -> !group.isEmpty()).toList();
        if (!groups.isEmpty()) {
            List<Long> ids = createVisitors(groups.size());
            for (int g = 0; g < groups.size(); g++) {
                for (Identity id : groups.get(g)) {
                    newLinks.put(id, ids.get(g));
                }
            }
        }
        for (Map.Entry<Identity, Long> entry : assigned.entrySet()) {
            if (!known.containsKey(entry.getKey()) && entry.getValue() != null) {
                newLinks.put(entry.getKey(), entry.getValue());
            }
        }
        if (!newLinks.isEmpty()) {
            Map<Identity, Long> winners = link(newLinks);
            assigned.putAll(winners);
        }
        for (Map.Entry<Long, Long> merge : merges.entrySet()) {
            long from = merge.getKey();
            long to = current(merge.getValue(), merges);
            merge(from, to);
            touched.add(from);
        }
        Map<Identity, Long> resolved = new HashMap<>();
        for (Identity id : wanted) {
            Long visitor = current(assigned.get(id), merges);
            resolved.put(id, visitor);
            touched.add(visitor);
        }
        return new Resolution(resolved, touched);
    }

    /** An id first seen in this batch joins an existing visitor (or the group it is pending in). */
    private static void joinPending(Identity id, long visitor, Map<Identity, Long> assigned, Map<Identity, Integer> pendingGroup,
            List<List<Identity>> groups) {
        Integer group = pendingGroup.remove(id);
        if (group != null) {
            // It was pending for a new visitor: that whole group joins the existing visitor instead.
            for (Identity member : groups.get(group)) {
                pendingGroup.remove(member);
                assigned.put(member, visitor);
            }
            groups.get(group).clear();
        }
        assigned.put(id, visitor);
    }

    private static Long current(Long visitor, Map<Long, Long> merges) {
        Long result = visitor;
        while (result != null && merges.containsKey(result)) {
            result = merges.get(result);
        }
        return result;
    }

    private Map<Identity, Long> load(Set<Identity> ids, boolean locking) throws SQLException {
        Map<Identity, Long> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        StringBuilder sql = new StringBuilder("SELECT kind, external_id, visitor_id FROM visitor_identity WHERE site_id = ? AND (kind, external_id) IN (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
        }
        sql.append(locking ? ") LOCK IN SHARE MODE" : ")");
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 1;
            statement.setLong(p++, siteId);
            for (Identity id : ids) {
                statement.setString(p++, id.kind());
                statement.setString(p++, id.externalId());
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.put(new Identity(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        }
        return found;
    }

    private List<Long> createVisitors(int count) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO visitor (site_id, created_at) VALUES ");
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
        }
        List<Long> ids = new ArrayList<>(count);
        try (PreparedStatement statement = connection.prepareStatement(sql.toString(), Statement.RETURN_GENERATED_KEYS)) {
            String created = DbTime.format(now);
            for (int i = 0; i < count; i++) {
                statement.setLong(2 * i + 1, siteId);
                statement.setString(2 * i + 2, created);
            }
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(keys.getLong(1));
                }
            }
        }
        return ids;
    }

    /**
     * Stores new identity links. A concurrent request may have linked the same id first; its
     * link wins, and a visitor created here that ends up with no id is removed again.
     */
    private Map<Identity, Long> link(Map<Identity, Long> links) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT IGNORE INTO visitor_identity (site_id, kind, external_id, visitor_id, created_at) VALUES ");
        int i = 0;
        for (int n = 0; n < links.size(); n++) {
            sql.append(n == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
        }
        String created = DbTime.format(now);
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (Map.Entry<Identity, Long> link : links.entrySet()) {
                statement.setLong(p++, siteId);
                statement.setString(p++, link.getKey().kind());
                statement.setString(p++, link.getKey().externalId());
                statement.setLong(p++, link.getValue());
                statement.setString(p++, created);
                i++;
            }
            int inserted = statement.executeUpdate();
            if (inserted == i) {
                return links;
            }
        }
        Map<Identity, Long> actual = load(links.keySet(), true);
        Set<Long> orphans = new LinkedHashSet<>();
        for (Map.Entry<Identity, Long> link : links.entrySet()) {
            Long winner = actual.get(link.getKey());
            if (winner != null && !winner.equals(link.getValue())) {
                orphans.add(link.getValue());
            }
        }
        orphans.removeAll(actual.values());
        for (long orphan : orphans) {
            // A visitor created here whose ids all went to a concurrent request is removed. If only
            // some did, the ids stay on two visitors until an event carrying both merges them.
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM visitor WHERE id = ?")) {
                delete.setLong(1, orphan);
                delete.executeUpdate();
            }
        }
        return actual;
    }

    private void merge(long from, long to) throws SQLException {
        for (String sql : new String[] {
                "UPDATE event SET visitor_id = ? WHERE visitor_id = ?",
                "UPDATE visitor_identity SET visitor_id = ? WHERE visitor_id = ?" }) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, to);
                statement.setLong(2, from);
                statement.executeUpdate();
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM visitor WHERE id = ? AND site_id = ?")) {
            statement.setLong(1, from);
            statement.setLong(2, siteId);
            statement.executeUpdate();
        }
    }
}
