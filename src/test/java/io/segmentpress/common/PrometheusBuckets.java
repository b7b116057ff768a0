package io.segmentpress.common;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the cumulative latency buckets of one endpoint's answered requests from {@code /q/metrics} text. */
public final class PrometheusBuckets {

    private PrometheusBuckets() {
    }

    /** Bucket boundary in seconds ({@code +Inf} as infinity) → requests so far, summed over the other labels. */
    public static Map<Double, Double> of(String metrics, String uri, int status) {
        Pattern bucketLine = Pattern.compile("(?m)^http_server_requests_seconds_bucket\\{(?=[^}]*uri=\"" + Pattern.quote(uri) + "\")(?=[^}]*status=\""
                + status + "\")[^}]*le=\"([^\"]+)\"[^}]*} (\\S+)$");
        Map<Double, Double> buckets = new TreeMap<>();
        Matcher bucket = bucketLine.matcher(metrics);
        while (bucket.find()) {
            double boundary = "+Inf".equals(bucket.group(1)) ? Double.POSITIVE_INFINITY : Double.parseDouble(bucket.group(1));
            buckets.merge(boundary, Double.parseDouble(bucket.group(2)), Double::sum);
        }
        return buckets;
    }
}
