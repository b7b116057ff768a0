package io.segmentpress.common.error;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

/**
 * Everything else. A database that cannot be reached is a 503 with Retry-After (the sender
 * retries later and nothing was half-written, since the transaction rolled back); any other
 * failure is a 500 that is logged here and never described in the response.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        return unexpected(e);
    }

    static Response unexpected(Throwable e) {
        if (isDatabaseUnavailable(e)) {
            LOG.warnf("Database unavailable: %s", rootMessage(e));
            return Problems.response(ApiException.unavailable(
                    "The database is unavailable; nothing was stored. Retry later.", Problems.RETRY_AFTER_UNAVAILABLE));
        }
        LOG.error("Unexpected failure", e);
        return Problems.response(500, "Internal error", "An unexpected error occurred; it has been logged.");
    }

    /** True when the failure is the database (or the pool in front of it) being out of reach. */
    public static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            // Agroal's pool timeout carries no SQLState: every connection is busy or being opened.
            if (t instanceof SQLException && t.getMessage() != null && t.getMessage().contains("acquisition timeout")) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            String name = t.getClass().getName();
            if (name.endsWith("CommunicationsException") || name.endsWith("JDBCConnectionException")
                    || name.endsWith("CJCommunicationsException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
