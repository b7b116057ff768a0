package io.segmentpress.common.auth;

import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import jakarta.inject.Inject;

/**
 * CORS for the endpoints a browser may call with a write key. A preflight cannot say which
 * site it is for (browsers send no credentials on it), so it is answered for any origin; the
 * real request is then refused with 403 unless its origin is one of the site's allowedOrigins
 * (see {@link KeyAuthenticator}), and only then carries Access-Control-Allow-Origin.
 */
@Provider
@PreMatching
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final Set<String> BROWSER_PATHS = Set.of("/v1/batch", "/v1/track", "/v1/page", "/v1/identify",
            "/v1/recommendations");

    @Inject
    Caller caller;

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin != null && "OPTIONS".equals(request.getMethod())
                && request.getHeaderString("Access-Control-Request-Method") != null
                && isBrowserPath(request.getUriInfo().getPath())) {
            request.abortWith(Response.noContent()
                    .header("Access-Control-Allow-Origin", origin)
                    .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .header("Access-Control-Allow-Headers", "Authorization, Content-Type")
                    .header("Access-Control-Max-Age", "600")
                    .header("Vary", "Origin")
                    .build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || !isBrowserPath(request.getUriInfo().getPath())) {
            return;
        }
        if (!response.getHeaders().containsKey("Vary")) {
            response.getHeaders().add("Vary", "Origin");
        }
        // The key was checked against the site's origins; a refused origin never gets here with a site.
        if (caller.isAuthenticated() && caller.kind() == KeyKind.WRITE) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
        }
    }

    static boolean isBrowserPath(String path) {
        return BROWSER_PATHS.contains(path)
                || path.startsWith("/v1/visitors/") && path.endsWith("/segments");
    }
}
