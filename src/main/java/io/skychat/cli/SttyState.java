package io.skychat.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal's complete {@code stty -g} state, taken before the console opens its terminal
 * and put back after it closed it. JLine restores the modes it models but not all of the line settings
 * (the line speed comes back as 0), so the console leaves the terminal exactly as it found it this way.
 * Without a terminal, or without {@code stty}, both steps do nothing.
 */
final class SttyState {

    private static final File TTY = new File("/dev/tty");

    private SttyState() {
    }

    /** The state, or null when there is no terminal to restore. */
    static String save() {
        if (System.console() == null || !TTY.exists()) {
            return null;
        }
        String state = stty("-g");
        return state == null || state.isBlank() ? null : state.strip();
    }

    static void restore(String state) {
        if (state != null) {
            stty(state);
        }
    }

    private static String stty(String argument) {
        try {
            Process p = new ProcessBuilder("stty", argument).redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
