package io.segmentpress.recommend;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Benchmark-only switches; everything here is off in a normal deployment. */
@ConfigMapping(prefix = "segmentpress.bench")
public interface RecommendBenchConfig {

    /** Serves the latency benchmark's baseline endpoint (/v1/bench/recommend-baseline). Never enable in production. */
    @WithDefault("false")
    boolean enabled();
}
