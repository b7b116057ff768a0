package io.segmentpress.common;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The API's description in the generated OpenAPI document. */
@OpenAPIDefinition(info = @Info(title = "SegmentPress API", version = "1.0.0",
        description = "Behavioral segments, recommendations and publishing briefs for WordPress sites."))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The operator's admin token, a site secret key (sk_…) or a site write key (wk_…). "
                + "Ingestion also takes HTTP Basic with the write key as user name, as Segment's libraries send it.")
public class ApiDocumentation extends Application {
}
