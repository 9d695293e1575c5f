package io.skychat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** User + system CPU a process has used so far, from {@code /proc/<pid>/stat} (Linux). */
final class ProcessCpu {

    private ProcessCpu() {
    }

    static long nanos(long pid) {
        long[] both = userAndSystem(pid);
        return both[0] + both[1];
    }

    /** User and system CPU separately. */
    static long[] userAndSystem(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime, stime (fields 14, 15); USER_HZ is 100 on Linux
            return new long[] {Long.parseLong(f[11]) * 10_000_000L, Long.parseLong(f[12]) * 10_000_000L};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
