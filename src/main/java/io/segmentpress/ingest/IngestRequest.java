package io.segmentpress.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.segmentpress.common.Json;
import io.segmentpress.common.error.ApiException;

/**
 * An ingestion request body, read in one streaming pass so that each event's size on the
 * wire is known without serializing it again. Size limits refuse the whole request (413).
 */
public final class IngestRequest {

    /** One element of a batch (or the single event) as it was sent. */
    record SentEvent(JsonNode node, int bytes) {
    }

    final List<SentEvent> events;
    final JsonNode context;
    final String sentAt;
    final String writeKey;

    private IngestRequest(List<SentEvent> events, JsonNode context, String sentAt, String writeKey) {
        this.events = events;
        this.context = context;
        this.sentAt = sentAt;
        this.writeKey = writeKey;
    }

    static IngestRequest parseBatch(byte[] body, IngestConfig limits) {
        checkRequestSize(body, limits);
        List<SentEvent> events = null;
        JsonNode context = null;
        String sentAt = null;
        String writeKey = null;
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("body", "must be a JSON object with a batch array");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "batch" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw ApiException.badRequest("batch", "must be an array of events");
                        }
                        events = readArray(parser, limits);
                    }
                    case "context" -> context = parser.readValueAsTree();
                    case "sentAt" -> sentAt = value == JsonToken.VALUE_STRING ? parser.getText() : skipInvalid(parser, "sentAt");
                    case "writeKey" -> writeKey = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw ApiException.badRequest("The request body is not valid JSON", (List<io.segmentpress.common.error.FieldError>) null);
        }
        if (events == null) {
            throw ApiException.badRequest("batch", "is required");
        }
        if (context != null && !context.isObject()) {
            throw ApiException.badRequest("context", "must be an object");
        }
        return new IngestRequest(events, context, sentAt, writeKey);
    }

    static IngestRequest parseSingle(byte[] body, IngestConfig limits) {
        checkRequestSize(body, limits);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("The request body is not valid JSON", (List<io.segmentpress.common.error.FieldError>) null);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("body", "must be a JSON object (one event)");
        }
        if (body.length > limits.maxEventBytes()) {
            throw ApiException.payloadTooLarge("The event is " + body.length + " bytes; at most " + limits.maxEventBytes() + " are accepted");
        }
        JsonNode writeKey = ((ObjectNode) node).remove("writeKey");
        return new IngestRequest(List.of(new SentEvent(node, body.length)), null, null,
                writeKey != null && writeKey.isTextual() ? writeKey.asText() : null);
    }

    private static List<SentEvent> readArray(JsonParser parser, IngestConfig limits) throws IOException {
        List<SentEvent> events = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (events.size() == limits.maxBatchSize()) {
                throw ApiException.payloadTooLarge("A batch holds at most " + limits.maxBatchSize() + " events");
            }
            long start = parser.currentTokenLocation().getByteOffset();
            JsonNode node = parser.readValueAsTree();
            long end = parser.currentLocation().getByteOffset();
            int bytes = (int) (end - start);
            if (bytes > limits.maxEventBytes()) {
                throw ApiException.payloadTooLarge("Event " + events.size() + " is " + bytes + " bytes; at most "
                        + limits.maxEventBytes() + " are accepted per event");
            }
            events.add(new SentEvent(node, bytes));
        }
        return events;
    }

    private static void checkRequestSize(byte[] body, IngestConfig limits) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("body", "is required");
        }
        if (body.length > limits.maxRequestBytes()) {
            throw ApiException.payloadTooLarge("The request is " + body.length + " bytes; at most " + limits.maxRequestBytes()
                    + " are accepted (split the batch)");
        }
    }

    private static String skipInvalid(JsonParser parser, String field) throws IOException {
        parser.skipChildren();
        throw ApiException.badRequest(field, "must be an ISO-8601 date-time string");
    }
}
