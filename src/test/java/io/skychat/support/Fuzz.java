package io.skychat.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutation fuzzing for CI: each target runs {@code fuzz.iterations} inputs (default: a CI-sized
 * count per target) from fixed seeds, so a failure names a seed and an iteration that replay exactly.
 * Set {@code -Dfuzz.iterations=1000000} for a longer run; see docs/fuzzing.md.
 */
public final class Fuzz {

    /** Seeds for the parameterized drivers; each one is its own reproducible input stream. */
    public static final long[] SEEDS = {1, 2, 3, 5, 8, 13, 21, 34};

    private static final byte[][] INTERESTING = {
            {0}, {0, 0}, {0, 0, 0, 0}, {-1}, {-1, -1}, {-1, -1, -1, -1}, {0x7f, -1, -1, -1}, {0, 1, 0, 0},
            {0, 1, 0, 1}, {'{'}, {'}'}, {'"'}, {'\\'}, {'\\', 'u', '0', '0'}, {(byte) 0xc3}, {(byte) 0xf0, (byte) 0x9f},
            "null".getBytes(StandardCharsets.UTF_8), "\"type\":".getBytes(StandardCharsets.UTF_8),
            "[[[[[[[[".getBytes(StandardCharsets.UTF_8), "1e999999".getBytes(StandardCharsets.UTF_8)};

    private Fuzz() {
    }

    /** Inputs per seed: the total for a target ({@code fuzz.iterations}, else {@code ciTotal}) spread over the seeds. */
    public static int perSeed(int ciTotal) {
        int total = Integer.getInteger("fuzz.iterations", ciTotal);
        return Math.max(1, total / SEEDS.length);
    }

    /** One mutation of {@code base}: bit flips, byte changes, inserts, deletes, truncation, splices. */
    public static byte[] mutate(byte[] base, Random r) {
        byte[] b = base.clone();
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            switch (r.nextInt(8)) {
                case 0 -> {
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> {
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    }
                }
                case 2 -> b = insert(b, r.nextInt(b.length + 1), new byte[] {(byte) r.nextInt(256)});
                case 3 -> {
                    if (b.length > 0) {
                        int at = r.nextInt(b.length);
                        int n = 1 + r.nextInt(Math.min(8, b.length - at));
                        byte[] out = new byte[b.length - n];
                        System.arraycopy(b, 0, out, 0, at);
                        System.arraycopy(b, at + n, out, at, b.length - at - n);
                        b = out;
                    }
                }
                case 4 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 5 -> b = insert(b, r.nextInt(b.length + 1), INTERESTING[r.nextInt(INTERESTING.length)]);
                case 6 -> {
                    if (b.length > 1) { // duplicate a slice, as a replay or a repeated field would
                        int at = r.nextInt(b.length);
                        int n = 1 + r.nextInt(b.length - at);
                        b = insert(b, r.nextInt(b.length + 1), Arrays.copyOfRange(b, at, at + n));
                    }
                }
                default -> {
                    byte[] interesting = INTERESTING[r.nextInt(INTERESTING.length)];
                    if (b.length >= interesting.length) {
                        System.arraycopy(interesting, 0, b, r.nextInt(b.length - interesting.length + 1), interesting.length);
                    }
                }
            }
        }
        return b;
    }

    /** A random input: either pure noise or a mutation of one of {@code corpus}. */
    public static byte[] next(List<byte[]> corpus, Random r, int maxRandomLength) {
        if (corpus.isEmpty() || r.nextInt(5) == 0) {
            byte[] b = new byte[r.nextInt(maxRandomLength + 1)];
            r.nextBytes(b);
            return b;
        }
        return mutate(corpus.get(r.nextInt(corpus.size())), r);
    }

    /** Prints the figure docs/fuzzing.md quotes; one line per target and seed. */
    public static void report(String target, long seed, long inputs) {
        System.out.printf("fuzz %s seed=%d inputs=%d crashes=0%n", target, seed, inputs);
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }
}
