package io.segmentpress.common.error;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.segmentpress.common.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * A request that announces a body over the HTTP server's limit ({@code quarkus.http.limits.max-body-size})
 * is refused before the body is read, with the same problem document as every other 413 — not the
 * server's bare status line. (A chunked body without a length that grows over the limit is cut off
 * by the server itself.)
 */
@ApplicationScoped
class OversizeBodyFilter {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void register(@Observes Filters filters) {
        long limit = maxBodySize.asLongValue();
        byte[] body = Json.write(ApiException.payloadTooLarge("The request body is larger than " + limit + " bytes").toProblem())
                .getBytes(StandardCharsets.UTF_8);
        filters.register(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOver(length, limit)) {
                context.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(Buffer.buffer(body));
                return;
            }
            context.next();
        }, Integer.MAX_VALUE);
    }

    private static boolean isOver(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // the server refuses a malformed length itself
        }
    }
}
