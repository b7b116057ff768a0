package io.segmentpress.site;

import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.segmentpress.common.Json;
import io.segmentpress.common.ServiceConfig;
import io.segmentpress.common.auth.KeyAuthenticator;
import io.segmentpress.common.auth.KeyKind;
import io.segmentpress.common.auth.Keys;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.error.Violations;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.site.SiteApi.CreateSite;
import io.segmentpress.site.SiteApi.RotatedKey;
import io.segmentpress.site.SiteApi.SiteCreated;
import io.segmentpress.site.SiteApi.SiteView;
import io.segmentpress.site.SiteApi.UpdateSite;

/** Sites and their keys. */
@ApplicationScoped
public class SiteService {

    private static final int MAX_ORIGINS = 50;

    @Inject
    AppClock clock;

    @Inject
    ServiceConfig config;

    @Inject
    KeyAuthenticator authenticator;

    /** Creates a site with a fresh write key and secret key; the keys appear only in the result. */
    @Transactional
    public SiteCreated create(CreateSite request) {
        if (request == null) {
            throw ApiException.badRequest("body", "is required");
        }
        Violations violations = new Violations();
        validateName(request.name(), true, violations);
        validateUrl(request.url(), true, violations);
        List<String> origins = normalizeOrigins(request.allowedOrigins(), violations);
        String timezone = request.timezone() == null ? "UTC" : request.timezone();
        validateTimezone(timezone, violations);
        String currency = request.currency() == null ? "USD" : request.currency().toUpperCase(Locale.ROOT);
        validateCurrency(currency, violations);
        violations.throwIfAny();

        Instant now = clock.now();
        Site site = new Site();
        site.name = request.name().trim();
        site.url = request.url().trim();
        site.allowedOrigins = Json.write(origins);
        site.timezone = timezone;
        site.currency = currency;
        site.createdAt = now;
        site.updatedAt = now;
        site.persist();
        String writeKey = issueKey(site.id, KeyKind.WRITE, now);
        String secretKey = issueKey(site.id, KeyKind.SECRET, now);
        return new SiteCreated(site.id, site.name, site.url, origins, site.timezone, site.currency, writeKey, secretKey, site.createdAt);
    }

    public List<SiteView> list() {
        return Site.<Site>listAll(io.quarkus.panache.common.Sort.by("id")).stream().map(SiteService::view).toList();
    }

    public Optional<SiteView> find(long siteId) {
        return Site.<Site>findByIdOptional(siteId).map(SiteService::view);
    }

    /** Changes the fields present in {@code request}; an empty result means there is no such site. */
    @Transactional
    public Optional<SiteView> update(long siteId, UpdateSite request) {
        Optional<Site> found = Site.findByIdOptional(siteId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (request == null) {
            throw ApiException.badRequest("body", "is required");
        }
        Violations violations = new Violations();
        validateName(request.name(), false, violations);
        validateUrl(request.url(), false, violations);
        List<String> origins = request.allowedOrigins() == null ? null : normalizeOrigins(request.allowedOrigins(), violations);
        if (request.timezone() != null) {
            validateTimezone(request.timezone(), violations);
        }
        if (request.currency() != null) {
            validateCurrency(request.currency().toUpperCase(Locale.ROOT), violations);
        }
        violations.throwIfAny();

        Site site = found.get();
        if (request.name() != null) {
            site.name = request.name().trim();
        }
        if (request.url() != null) {
            site.url = request.url().trim();
        }
        if (origins != null) {
            site.allowedOrigins = Json.write(origins);
        }
        if (request.timezone() != null) {
            site.timezone = request.timezone();
        }
        if (request.currency() != null) {
            site.currency = request.currency().toUpperCase(Locale.ROOT);
        }
        site.updatedAt = clock.now();
        authenticator.invalidateAll();
        return Optional.of(view(site));
    }

    /**
     * Issues a new key of the given kind. The previous one keeps working for the configured
     * grace period (24 h by default) so deployed sites can switch over, unless {@code immediately}.
     */
    @Transactional
    public Optional<RotatedKey> rotate(long siteId, String which, boolean immediately) {
        if (Site.findByIdOptional(siteId).isEmpty()) {
            return Optional.empty();
        }
        KeyKind kind = which == null ? null : KeyKind.fromApiName(which);
        if (kind == null) {
            throw ApiException.badRequest("which", "must be \"write\" or \"secret\"");
        }
        Instant now = clock.now();
        Instant previousExpiresAt = immediately ? now : now.plus(config.keys().rotationGrace());
        for (SiteKey previous : SiteKey.current(siteId, kind.apiName())) {
            previous.expiresAt = previousExpiresAt;
        }
        String key = issueKey(siteId, kind, now);
        authenticator.invalidateAll();
        return Optional.of(new RotatedKey(kind.apiName(), key, previousExpiresAt));
    }

    private static String issueKey(long siteId, KeyKind kind, Instant now) {
        String key = Keys.generate(kind);
        SiteKey stored = new SiteKey();
        stored.siteId = siteId;
        stored.kind = kind.apiName();
        stored.keyHash = Keys.hash(key);
        stored.keyHint = Keys.hint(key);
        stored.createdAt = now;
        stored.persist();
        return key;
    }

    static SiteView view(Site site) {
        return new SiteView(site.id, site.name, site.url, Json.readStringList(site.allowedOrigins), site.timezone, site.currency,
                site.createdAt, site.updatedAt);
    }

    private static void validateName(String name, boolean required, Violations violations) {
        if (name == null) {
            violations.check(!required, "name", "is required");
            return;
        }
        violations.check(!name.isBlank(), "name", "must not be blank");
        violations.check(name.length() <= 200, "name", "must be at most 200 characters");
    }

    private static void validateUrl(String url, boolean required, Violations violations) {
        if (url == null) {
            violations.check(!required, "url", "is required");
            return;
        }
        violations.check(url.length() <= 500 && isHttpUrl(url.trim()), "url", "must be an http(s) URL of at most 500 characters");
    }

    private static List<String> normalizeOrigins(List<String> origins, Violations violations) {
        List<String> normalized = new ArrayList<>();
        if (origins == null) {
            return normalized;
        }
        violations.check(origins.size() <= MAX_ORIGINS, "allowedOrigins", "must list at most " + MAX_ORIGINS + " origins");
        for (int i = 0; i < origins.size(); i++) {
            String origin = origins.get(i);
            if ("*".equals(origin)) {
                normalized.add(origin);
                continue;
            }
            URI uri = origin == null ? null : parse(origin.trim());
            boolean valid = uri != null && isHttpUrl(origin.trim()) && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
            if (!valid) {
                violations.add("allowedOrigins[" + i + "]", "must be an origin like https://example.com (scheme, host and optional port; no path)");
            } else if (!normalized.contains(origin.trim().toLowerCase(Locale.ROOT))) {
                normalized.add(origin.trim().toLowerCase(Locale.ROOT));
            }
        }
        return normalized;
    }

    private static void validateTimezone(String timezone, Violations violations) {
        try {
            ZoneId.of(timezone);
        } catch (DateTimeException e) {
            violations.add("timezone", "must be an IANA time zone such as Europe/Berlin");
        }
    }

    private static void validateCurrency(String currency, Violations violations) {
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            violations.add("currency", "must be an ISO 4217 currency code such as USD");
        }
    }

    private static boolean isHttpUrl(String value) {
        URI uri = parse(value);
        return uri != null && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                && uri.getHost() != null && !uri.getHost().isBlank();
    }

    private static URI parse(String value) {
        try {
            return new URI(value);
        } catch (Exception e) {
            return null;
        }
    }
}
