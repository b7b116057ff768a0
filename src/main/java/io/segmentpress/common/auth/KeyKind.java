package io.segmentpress.common.auth;

/** The two kinds of site key. */
public enum KeyKind {
    /** Public key that sits in the page: send events, read recommendations and a visitor's segment keys. */
    WRITE("wk_", "write"),
    /** Server-side key: everything about its own site. */
    SECRET("sk_", "secret");

    private final String prefix;
    private final String apiName;

    KeyKind(String prefix, String apiName) {
        this.prefix = prefix;
        this.apiName = apiName;
    }

    public String prefix() {
        return prefix;
    }

    /** The name used in the API and in the database ({@code write}, {@code secret}). */
    public String apiName() {
        return apiName;
    }

    public static KeyKind fromApiName(String name) {
        for (KeyKind kind : values()) {
            if (kind.apiName.equals(name)) {
                return kind;
            }
        }
        return null;
    }

    public static KeyKind fromKey(String key) {
        for (KeyKind kind : values()) {
            if (key.startsWith(kind.prefix)) {
                return kind;
            }
        }
        return null;
    }
}
