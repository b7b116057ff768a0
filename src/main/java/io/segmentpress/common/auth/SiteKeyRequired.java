package io.segmentpress.common.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint takes a site key of one of the given kinds. Write keys also bring CORS: a
 * browser call is answered only for the site's allowed origins.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface SiteKeyRequired {

    KeyKind[] value() default { KeyKind.SECRET };

    /**
     * The key may instead come in the JSON body as {@code writeKey} (Segment's browser libraries
     * send it that way); the resource then authenticates it through {@link KeyAuthenticator}.
     */
    boolean keyInBody() default false;
}
