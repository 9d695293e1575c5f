package io.skychat.bench;

import java.util.Arrays;

/**
 * Latency summary of one run: nearest-rank percentiles over the samples (in nanoseconds), so p99 of 100
 * samples is the 99th smallest and never an interpolated value nobody measured.
 */
public record Percentiles(int count, long p50, long p99, long p999, long max) {

    public static Percentiles of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), rank(sorted, 0.999),
                sorted[sorted.length - 1]);
    }

    /** The smallest sample with at least {@code q} of all samples at or below it. */
    static long rank(long[] sorted, double q) {
        if (q <= 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be in (0, 1], got " + q);
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    /** {@code p50=0.071 ms  p99=0.213 ms  p99.9=1.020 ms  max=3.400 ms}. */
    public String format() {
        return String.format(java.util.Locale.ROOT, "p50=%s ms  p99=%s ms  p99.9=%s ms  max=%s ms",
                millis(p50), millis(p99), millis(p999), millis(max));
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
