package io.segmentpress.recommend;

import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.segmentpress.common.ServiceSecrets;

/**
 * Rec ids: what a served list is called in the Viewed and Clicked events that quote it. An id
 * carries what the experiment report needs about its list, signed, so no row per list has to be
 * stored to look it up:
 *
 * <pre>
 * rec_ TTTTTTTTTT V AAAAAAAAAAAAA RRRRRRRR SSSSSSSSSSSS
 *      time (ms)  variant         random   signature
 *                   audience
 * </pre>
 *
 * all in Crockford's base 32, whose character order is its numeric order, so ids sort by serving
 * time. The audience is the first 64 bits of the SHA-256 of the list's sorted segment keys (the
 * {@code keys_hash} of {@code recommendation_audience}); 0 for none. The random part keeps two
 * lists served in the same millisecond apart. The signature is 60 bits of an HMAC-SHA256 over the
 * site id and everything before it, under a key shared by the service's replicas: an id a browser
 * made up, altered (another variant) or copied from another site reads as no list at all. What an
 * id reveals (when, which variant, a hash of segment keys) is what the answer that carried it
 * said in the clear.
 */
@ApplicationScoped
class RecIds {

    static final String PREFIX = "rec_";
    private static final String SECRET_NAME = "rec-id";
    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int[] VALUE = new int[128];
    private static final int TIME = 10;
    private static final int VARIANT = 1;
    private static final int AUDIENCE = 13;
    private static final int RANDOM = 8;
    private static final int SIGNATURE = 12;
    private static final int SIGNED = PREFIX.length() + TIME + VARIANT + AUDIENCE + RANDOM;
    static final int LENGTH = SIGNED + SIGNATURE;
    private static final long SIGNATURE_MASK = (1L << (5 * SIGNATURE)) - 1;

    static {
        java.util.Arrays.fill(VALUE, -1);
        for (int i = 0; i < BASE32.length; i++) {
            VALUE[BASE32[i]] = i;
        }
    }

    /** What an id says about its list. */
    record Issued(long servedAtMillis, String variant, long audience) {
    }

    @Inject
    ServiceSecrets secrets;

    private volatile SecretKeySpec key;
    private final ThreadLocal<Mac> macs = new ThreadLocal<>();

    /** A new id for a list of this site served at {@code servedAtMillis} in {@code variant} to {@code audience}. */
    String issue(long siteId, long servedAtMillis, String variant, long audience) {
        char[] id = new char[LENGTH];
        PREFIX.getChars(0, PREFIX.length(), id, 0);
        int at = put(id, PREFIX.length(), servedAtMillis, TIME);
        id[at++] = BASE32[ExperimentSettings.CONTROL.equals(variant) ? 1 : 0];
        at = put(id, at, audience, AUDIENCE);
        at = put(id, at, ThreadLocalRandom.current().nextLong(), RANDOM);
        put(id, at, signature(siteId, id), SIGNATURE);
        return new String(id);
    }

    /** What a rec id quoted by an event of this site says, if this service issued it for this site. */
    Optional<Issued> read(long siteId, String recId) {
        if (recId == null || recId.length() != LENGTH || !recId.startsWith(PREFIX)) {
            return Optional.empty();
        }
        char[] id = recId.toCharArray();
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (id[i] >= VALUE.length || VALUE[id[i]] < 0) {
                return Optional.empty();
            }
        }
        // the signature's 60 bits as written, against the low 60 bits of the HMAC (one comparison of two numbers)
        if (get(id, SIGNED, SIGNATURE) != (signature(siteId, id) & SIGNATURE_MASK)) {
            return Optional.empty();
        }
        int at = PREFIX.length();
        long servedAt = get(id, at, TIME);
        at += TIME;
        int variant = VALUE[id[at++]];
        if (variant > 1) {
            return Optional.empty();
        }
        long audience = get(id, at, AUDIENCE);
        return Optional.of(new Issued(servedAt, variant == 1 ? ExperimentSettings.CONTROL : ExperimentSettings.RANKED, audience));
    }

    /** Writes the low {@code 5 × chars} bits of {@code value}, most significant first; returns the next position. */
    private static int put(char[] id, int at, long value, int chars) {
        for (int i = chars - 1; i >= 0; i--) {
            id[at + i] = BASE32[(int) (value & 31)];
            value >>>= 5;
        }
        return at + chars;
    }

    private static long get(char[] id, int at, int chars) {
        long value = 0;
        for (int i = 0; i < chars; i++) {
            value = (value << 5) | VALUE[id[at + i]];
        }
        return value;
    }

    /** The HMAC of the site id and the id's characters before the signature, as a long. */
    private long signature(long siteId, char[] id) {
        Mac mac = mac();
        for (int shift = 56; shift >= 0; shift -= 8) {
            mac.update((byte) (siteId >>> shift));
        }
        for (int i = 0; i < SIGNED; i++) {
            mac.update((byte) id[i]);
        }
        byte[] digest = mac.doFinal();
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xff);
        }
        return value;
    }

    private Mac mac() {
        Mac mac = macs.get();
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is always available", e);
            }
            macs.set(mac);
        }
        return mac;
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            current = new SecretKeySpec(secrets.get(SECRET_NAME), "HmacSHA256");
            key = current;
        }
        return current;
    }
}
