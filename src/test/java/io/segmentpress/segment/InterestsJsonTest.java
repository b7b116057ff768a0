package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

import org.junit.jupiter.api.Test;

class InterestsJsonTest {

    @Test
    void sharesRoundExactlyAsBigDecimalHalfUpDoes() {
        double[] edges = { 0, 1, 0.5, 0.0005, 0.0015, 0.0625, 0.1235, 0.1245, 0.12349999999999999, 0.9995, 0.99949999, 1.0 / 3, 2.0 / 3,
                0.125, 0.3335, 1e-9, 0.0004999999 };
        for (double share : edges) {
            assertEquals(bigDecimal(share), InterestsJson.threeDecimals(share), "share " + share);
        }
        Random random = new Random(1);
        for (int i = 0; i < 200_000; i++) {
            double share = i % 2 == 0 ? random.nextDouble() : (random.nextInt(2001) + 0.5) / 2000 * (1 + (random.nextInt(3) - 1) * 1e-16);
            assertEquals(bigDecimal(share), InterestsJson.threeDecimals(share), "share " + share);
        }
    }

    private static String bigDecimal(double share) {
        return BigDecimal.valueOf(share).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }
}
