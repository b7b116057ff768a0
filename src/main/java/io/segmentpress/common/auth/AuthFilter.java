package io.segmentpress.common.auth;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.error.Problems;

/**
 * Authenticates every /v1 request before it reaches a resource, from the resource's
 * {@link AdminOnly} or {@link SiteKeyRequired} annotation. A resource with neither is public.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resourceInfo;

    @Inject
    Caller caller;

    @Inject
    KeyAuthenticator authenticator;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo.getResourceMethod();
        if (method == null) {
            return;
        }
        try {
            if (annotation(method, AdminOnly.class) != null) {
                authenticator.authenticateAdmin(bearer(request));
                return;
            }
            SiteKeyRequired siteKey = annotation(method, SiteKeyRequired.class);
            if (siteKey == null) {
                return;
            }
            String presented = presentedKey(request);
            if (presented == null && siteKey.keyInBody()) {
                return; // the resource reads writeKey from the body and authenticates it
            }
            Set<KeyKind> accepted = EnumSet.noneOf(KeyKind.class);
            accepted.addAll(Set.of(siteKey.value()));
            authenticator.authenticate(presented, accepted, request.getHeaderString("Origin"));
        } catch (ApiException e) {
            request.abortWith(Problems.response(e));
        }
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(Method method, Class<A> type) {
        A onMethod = method.getAnnotation(type);
        return onMethod != null ? onMethod : method.getDeclaringClass().getAnnotation(type);
    }

    /** Bearer token, or HTTP Basic with the key as user name (what Segment's libraries send). */
    static String presentedKey(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return null;
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon >= 0 ? decoded.substring(0, colon) : decoded;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return bearer(request);
    }

    private static String bearer(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}
