package io.segmentpress.common;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The categories a {@code page} call names in its {@code properties.categories[]}: slugs, or
 * objects with a {@code slug} (what the plugin sends). The segment engine uses them for posts the
 * content catalog does not know.
 */
public final class PageCategories {

    /** Longer slugs are ignored (WordPress's own limit is 200). */
    public static final int MAX_SLUG = 200;

    private PageCategories() {
    }

    /** The slugs, in the order given, without blanks or repeats; empty when there are none. */
    public static List<String> of(JsonNode properties) {
        JsonNode categories = properties == null ? null : properties.get("categories");
        if (categories == null || !categories.isArray()) {
            return List.of();
        }
        List<String> slugs = new ArrayList<>(categories.size());
        for (JsonNode category : categories) {
            String slug = category.isTextual() ? category.asText() : category.path("slug").asText(null);
            if (slug != null && !slug.isBlank() && slug.length() <= MAX_SLUG && !slugs.contains(slug)) {
                slugs.add(slug);
            }
        }
        return slugs;
    }

    /** As {@link #of(JsonNode)}, from the stored properties JSON; empty for anything unreadable. */
    public static List<String> of(String properties) {
        if (properties == null || !properties.contains("\"categories\"")) {
            return List.of();
        }
        try {
            return of(Json.readTree(properties));
        } catch (IllegalStateException e) {
            return List.of();
        }
    }
}
