package io.segmentpress.privacy;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long raw events are kept. */
@ConfigMapping(prefix = "segmentpress.retention")
public interface RetentionConfig {

    /** Raw events older than this are deleted (profiles and segment history stay). */
    @WithDefault("P400D")
    Duration events();

    /** When the purge runs (Quartz cron syntax); once per cluster. */
    @WithDefault("0 17 3 * * ?")
    String cron();

    /** Rows deleted per statement, so the purge never holds long locks. */
    @WithDefault("5000")
    int chunkSize();
}
