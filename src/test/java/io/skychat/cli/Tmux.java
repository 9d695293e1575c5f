package io.skychat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pseudo-terminal a test can type into and read back, as a person at a terminal would: a private tmux
 * server (its own socket, so nobody else's sessions are touched) running {@code sh} in one window.
 */
final class Tmux implements AutoCloseable {

    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final String socket = "skychat-test-" + ProcessHandle.current().pid() + "-" + SERVERS.incrementAndGet();

    static boolean available() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Tmux(int columns, int rows) {
        tmux("new-session", "-d", "-s", "t", "-x", String.valueOf(columns), "-y", String.valueOf(rows), "env PS1='$ ' sh");
    }

    /** Types text literally, without pressing Enter. */
    void type(String text) {
        tmux("send-keys", "-t", "t", "-l", "--", text); // "--": text may start with a dash
    }

    /** Presses named keys: Enter, Escape, C-c… */
    void press(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    void resize(int columns, int rows) {
        tmux("resize-window", "-t", "t", "-x", String.valueOf(columns), "-y", String.valueOf(rows));
    }

    /** The visible screen, one string per row. */
    List<String> screen() {
        return tmux("capture-pane", "-p", "-t", "t").lines().toList();
    }

    /** Everything the window has shown, scroll-back included, with wrapped rows joined into their lines. */
    List<String> joined() {
        return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "t").lines().toList();
    }

    private String tmux(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            tmux("kill-server");
        } catch (IllegalStateException alreadyGone) {
            // the server exits by itself when its last session ends
        }
    }
}
