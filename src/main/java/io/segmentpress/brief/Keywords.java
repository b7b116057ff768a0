package io.segmentpress.brief;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns search queries and topic names into comparable word sets ("Gluten-Free" ≈ "gluten free breads"). */
final class Keywords {

    private static final Set<String> STOPWORDS = Set.of("a", "an", "the", "and", "or", "for", "of", "to", "in", "on", "with",
            "at", "by", "from", "is", "are", "my", "your", "how", "what", "which", "best", "top", "good", "vs", "versus", "near", "me");

    private Keywords() {
    }

    /** Significant words of {@code text}: lower-case, accents removed, stopwords dropped, plurals folded. */
    static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        if (text == null) {
            return words;
        }
        String plain = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        for (String word : plain.split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty() || STOPWORDS.contains(word)) {
                continue;
            }
            words.add(singular(word));
        }
        return words;
    }

    /** A URL-style slug of {@code text}'s significant words. */
    static String slug(String text) {
        return String.join("-", words(text));
    }

    /** Upper-cases the first letter of each word, for a search query used as a topic name. */
    static String titleCase(String text) {
        List<String> out = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            out.add(word.length() <= 2 && !out.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return String.join(" ", out);
    }

    private static String singular(String word) {
        if (word.length() > 4 && word.endsWith("ies")) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }
}
