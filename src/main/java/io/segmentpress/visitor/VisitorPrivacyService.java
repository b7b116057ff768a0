package io.segmentpress.visitor;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;

import io.segmentpress.common.Json;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.ProfileVersion;
import io.segmentpress.visitor.VisitorApi.Erased;
import io.segmentpress.visitor.VisitorApi.Membership;

/**
 * The privacy side of visitors: an export of everything stored about one, and erasure.
 * Erasure deletes the identities too, so a later event with the same anonymousId or userId
 * starts a new visitor that nothing links to the erased one.
 */
@ApplicationScoped
public class VisitorPrivacyService {

    private static final Logger LOG = Logger.getLogger(VisitorPrivacyService.class);

    /** Tables holding rows of one visitor, each with site_id and visitor_id columns; the visitor row goes last. */
    private static final String[] VISITOR_TABLES = { "visitor_identity", "segment_membership", "segment_transition", "visitor_profile",
            "visitor_dirty" };

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    @Inject
    VisitorService visitors;

    /** Something that writes the export to a stream (the visitor was found). */
    @FunctionalInterface
    public interface Export {
        void writeTo(OutputStream output) throws IOException;
    }

    /**
     * The export of one visitor, or empty when the site has no such visitor. The export is
     * streamed (events may be many) from one consistent snapshot of the database.
     */
    public Optional<Export> export(long siteId, long visitorId) {
        try (Connection connection = dataSource.getConnection()) {
            if (!VisitorService.exists(connection, siteId, visitorId)) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("visitor could not be read", e);
        }
        return Optional.of(output -> write(siteId, visitorId, output));
    }

    private void write(long siteId, long visitorId, OutputStream output) throws IOException {
        try (Connection connection = dataSource.getConnection();
                JsonGenerator json = Json.MAPPER.getFactory().createGenerator(output, JsonEncoding.UTF8)) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                json.writeStartObject();
                json.writeStringField("exportedAt", clock.now().toString());
                json.writeNumberField("siteId", siteId);
                json.writeNumberField("visitorId", visitorId);
                json.writeFieldName("profile");
                Json.MAPPER.writeValue(json, visitors.profile(connection, siteId, visitorId).orElse(null));

                json.writeArrayFieldStart("identities");
                query(connection, "SELECT kind, external_id, created_at FROM visitor_identity WHERE visitor_id = ? AND site_id = ? "
                        + "ORDER BY created_at, kind, external_id", siteId, visitorId, rows -> {
                            json.writeStartObject();
                            json.writeStringField("kind", "user".equals(rows.getString(1)) ? "userId" : "anonymousId");
                            json.writeStringField("id", rows.getString(2));
                            json.writeStringField("linkedAt", VisitorService.instant(rows, 3).toString());
                            json.writeEndObject();
                        });
                json.writeEndArray();

                json.writeArrayFieldStart("memberships");
                for (Membership membership : VisitorService.memberships(connection, siteId, visitorId)) {
                    Json.MAPPER.writeValue(json, membership);
                }
                json.writeEndArray();

                json.writeArrayFieldStart("transitions");
                query(connection, "SELECT segment_key, entered, at FROM segment_transition WHERE visitor_id = ? AND site_id = ? ORDER BY at, id",
                        siteId, visitorId, rows -> {
                            json.writeStartObject();
                            json.writeStringField("segment", rows.getString(1));
                            json.writeStringField("change", rows.getBoolean(2) ? "entered" : "left");
                            json.writeStringField("at", VisitorService.instant(rows, 3).toString());
                            json.writeEndObject();
                        });
                json.writeEndArray();

                json.writeArrayFieldStart("events");
                query(connection, "SELECT message_id, type, name, anonymous_id, user_id, occurred_at, received_at, url, referrer, "
                        + "properties, context, traits FROM event WHERE visitor_id = ? AND site_id = ? ORDER BY occurred_at, id",
                        siteId, visitorId, rows -> {
                            json.writeStartObject();
                            json.writeStringField("messageId", rows.getString(1));
                            json.writeStringField("type", rows.getString(2));
                            writeOptional(json, "event", rows.getString(3));
                            writeOptional(json, "anonymousId", rows.getString(4));
                            writeOptional(json, "userId", rows.getString(5));
                            json.writeStringField("timestamp", VisitorService.instant(rows, 6).toString());
                            json.writeStringField("receivedAt", VisitorService.instant(rows, 7).toString());
                            writeOptional(json, "url", rows.getString(8));
                            writeOptional(json, "referrer", rows.getString(9));
                            writeRaw(json, "properties", rows.getString(10));
                            writeRaw(json, "context", rows.getString(11));
                            writeRaw(json, "traits", rows.getString(12));
                            json.writeEndObject();
                        });
                json.writeEndArray();
                json.writeEndObject();
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // the status line is gone already; the client sees a truncated document
            LOG.errorf(e, "export of visitor %d of site %d failed part-way", visitorId, siteId);
            throw new IOException("export failed", e);
        }
    }

    /**
     * Erases the visitor: events, identities, profile, memberships, transitions and dirty marks,
     * in one transaction. Empty when the site has no such visitor.
     */
    @Transactional
    public Optional<Erased> erase(long siteId, long visitorId) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM visitor WHERE id = ? AND site_id = ? FOR UPDATE")) {
                lock.setLong(1, visitorId);
                lock.setLong(2, siteId);
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                }
            }
            // first, before any row the segment engine writes is locked: the engine bumps first too
            ProfileVersion.bump(connection, siteId);
            long eventsDeleted = delete(connection, "DELETE FROM event WHERE visitor_id = ? AND site_id = ?", visitorId, siteId);
            for (String table : VISITOR_TABLES) {
                delete(connection, "DELETE FROM " + table + " WHERE visitor_id = ? AND site_id = ?", visitorId, siteId);
            }
            delete(connection, "DELETE FROM visitor WHERE id = ? AND site_id = ?", visitorId, siteId);
            LOG.infof("erased visitor %d of site %d (%d events)", visitorId, siteId, eventsDeleted);
            return Optional.of(new Erased(eventsDeleted));
        } catch (SQLException e) {
            throw new IllegalStateException("visitor could not be erased", e);
        }
    }

    private static long delete(Connection connection, String sql, long visitorId, long siteId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setLong(1, visitorId);
            delete.setLong(2, siteId);
            return delete.executeLargeUpdate();
        }
    }

    @FunctionalInterface
    private interface RowWriter {
        void write(ResultSet rows) throws SQLException, IOException;
    }

    private static void query(Connection connection, String sql, long siteId, long visitorId, RowWriter writer)
            throws SQLException, IOException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, visitorId);
            select.setLong(2, siteId);
            select.setFetchSize(Integer.MIN_VALUE); // stream rows instead of loading a large history at once
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    writer.write(rows);
                }
            }
        }
    }

    private static void writeOptional(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    private static void writeRaw(JsonGenerator json, String field, String storedJson) throws IOException {
        if (storedJson != null) {
            json.writeFieldName(field);
            json.writeRawValue(storedJson); // stored by ingest as serialized JSON
        }
    }
}
