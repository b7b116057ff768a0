package io.segmentpress.site;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the sites API. */
public final class SiteApi {

    private SiteApi() {
    }

    @Schema(name = "SiteCreate")
    public record CreateSite(
            @Schema(description = "Display name", examples = "My Blog", required = true) String name,
            @Schema(description = "The site's home URL", examples = "https://blog.example.com", required = true) String url,
            @Schema(description = "Origins whose browsers may send events with the write key", examples = "[\"https://blog.example.com\"]") List<String> allowedOrigins,
            @Schema(description = "IANA time zone; windows such as 'last 30 days' are counted in it", examples = "Europe/Berlin", defaultValue = "UTC") String timezone,
            @Schema(description = "ISO 4217 currency of order amounts", examples = "EUR", defaultValue = "USD") String currency) {
    }

    @Schema(name = "SiteUpdate", description = "Only the fields present are changed")
    public record UpdateSite(String name, String url, List<String> allowedOrigins, String timezone, String currency) {
    }

    @Schema(name = "Site")
    public record SiteView(long id, String name, String url, List<String> allowedOrigins, String timezone, String currency,
            Instant createdAt, Instant updatedAt) {
    }

    @Schema(name = "SiteCreated", description = "The site with its keys; the keys are shown only in this response")
    public record SiteCreated(long id, String name, String url, List<String> allowedOrigins, String timezone, String currency,
            String writeKey, String secretKey, Instant createdAt) {
    }

    @Schema(name = "KeyRotation")
    public record RotateKey(@Schema(enumeration = { "write", "secret" }, required = true) String which) {
    }

    @Schema(name = "RotatedKey", description = "The new key, shown only in this response")
    public record RotatedKey(String which, String key, @Schema(description = "When the previous key stops working") Instant previousKeyExpiresAt) {
    }
}
