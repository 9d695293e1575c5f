package io.skychat.cli;

import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlockingReader;

/**
 * The split-pane chat on a JLine terminal: a title row, the conversation scrolling above, a rule and the
 * input line at the bottom. Only this thread draws; other threads change the {@link Conversation} and
 * the loop redraws when its version moves, when the window is resized, or when a key is typed.
 */
final class ChatScreen {

    private static final long POLL_MS = 50;
    private static final int ESC = 27;

    private final Terminal terminal;
    private final Conversation conversation;
    private final String title;
    private final Consumer<String> onSubmit;
    private final ZoneId zone = ZoneId.systemDefault();
    private final StringBuilder input = new StringBuilder();
    private volatile boolean resized = true;

    ChatScreen(Terminal terminal, Conversation conversation, String title, Consumer<String> onSubmit) {
        this.terminal = terminal;
        this.conversation = conversation;
        this.title = title;
        this.onSubmit = onSubmit;
    }

    /** Runs until Esc, Ctrl-C, Ctrl-D on an empty line or end of input; always restores the terminal. */
    void run() throws IOException {
        Attributes saved = terminal.enterRawMode();
        Attributes raw = new Attributes(terminal.getAttributes());
        raw.setLocalFlag(Attributes.LocalFlag.ISIG, false); // Ctrl-C arrives as a key, so we can exit cleanly
        terminal.setAttributes(raw);
        Terminal.SignalHandler previousWinch = terminal.handle(Terminal.Signal.WINCH, s -> resized = true);
        terminal.puts(InfoCmp.Capability.enter_ca_mode);
        terminal.puts(InfoCmp.Capability.keypad_xmit);
        terminal.flush();
        Display display = new Display(terminal, true);
        try {
            loop(display);
        } finally {
            terminal.puts(InfoCmp.Capability.keypad_local);
            terminal.puts(InfoCmp.Capability.exit_ca_mode);
            terminal.flush();
            terminal.handle(Terminal.Signal.WINCH, previousWinch);
            terminal.setAttributes(saved);
        }
    }

    private void loop(Display display) throws IOException {
        NonBlockingReader reader = terminal.reader();
        long drawn = -1;
        boolean inputChanged = true;
        while (true) {
            if (resized) {
                resized = false;
                Size size = terminal.getSize();
                display.clear();
                display.resize(Math.max(1, size.getRows()), Math.max(1, size.getColumns()));
                inputChanged = true;
            }
            long v = conversation.version();
            if (v != drawn || inputChanged) {
                draw(display);
                drawn = v;
                inputChanged = false;
            }
            int c = reader.read(POLL_MS);
            if (c == NonBlockingReader.READ_EXPIRED) {
                continue;
            }
            if (c == NonBlockingReader.EOF || c == 3) {
                return;
            }
            inputChanged = true;
            switch (c) {
                case ESC -> {
                    int next = reader.peek(30);
                    if (next == NonBlockingReader.READ_EXPIRED || next == NonBlockingReader.EOF) {
                        return; // a lone Esc
                    }
                    skipEscapeSequence(reader);
                }
                case 4 -> {
                    if (input.length() == 0) {
                        return;
                    }
                }
                case '\r', '\n' -> {
                    String line = input.toString();
                    input.setLength(0);
                    if (!line.isBlank()) {
                        onSubmit.accept(line);
                    }
                }
                case 127, 8 -> {
                    if (input.length() > 0) {
                        int cut = input.offsetByCodePoints(input.length(), -1);
                        input.setLength(cut);
                    }
                }
                case 21 -> input.setLength(0); // Ctrl-U
                case 12 -> resized = true;     // Ctrl-L: redraw everything
                default -> {
                    if (c >= 32) {
                        input.append((char) c);
                    }
                }
            }
        }
    }

    /** Arrow keys and friends: swallow the rest of the CSI/SS3 sequence. */
    private static void skipEscapeSequence(NonBlockingReader reader) throws IOException {
        int introducer = reader.read(30);
        if (introducer != '[' && introducer != 'O') {
            return;
        }
        for (int i = 0; i < 16; i++) {
            int c = reader.read(30);
            if (c < 0 || (c >= 0x40 && c <= 0x7e)) {
                return;
            }
        }
    }

    private void draw(Display display) {
        Size size = terminal.getSize();
        int rows = Math.max(1, size.getRows());
        int cols = Math.max(1, size.getColumns());
        List<AttributedString> screen = new ArrayList<>(rows);
        AttributedString prompt = new AttributedStringBuilder()
                .append("> ", AttributedStyle.BOLD)
                .append(tail(input.toString(), cols - 3))
                .toAttributedString();
        if (rows >= 4) {
            String head = " " + title + "  [" + conversation.connection() + "]  Enter send · Esc quit";
            screen.add(new AttributedString(fit(head, cols), AttributedStyle.INVERSE));
            int area = rows - 3;
            List<AttributedString> wrapped = new ArrayList<>();
            for (Conversation.Shown line : conversation.render(zone)) {
                wrapped.addAll(new AttributedString(line.text(), style(line)).columnSplitLength(cols));
            }
            int from = Math.max(0, wrapped.size() - area);
            for (int i = 0; i < area - (wrapped.size() - from); i++) {
                screen.add(AttributedString.EMPTY);
            }
            screen.addAll(wrapped.subList(from, wrapped.size()));
            screen.add(new AttributedString("-".repeat(cols), AttributedStyle.DEFAULT.faint()));
        } else {
            for (int i = 0; i < rows - 1; i++) {
                screen.add(AttributedString.EMPTY);
            }
        }
        screen.add(prompt);
        display.update(screen, size.cursorPos(rows - 1, Math.min(cols - 1, prompt.columnLength())));
    }

    private static AttributedStyle style(Conversation.Shown line) {
        return switch (line.kind()) {
            case NOTICE -> AttributedStyle.DEFAULT.faint();
            case IN -> AttributedStyle.DEFAULT.bold();
            case OUT -> line.state() == Conversation.State.FAILED
                    ? AttributedStyle.DEFAULT.foreground(AttributedStyle.RED) : AttributedStyle.DEFAULT;
        };
    }

    private static String fit(String s, int cols) {
        if (s.length() >= cols) {
            return s.substring(0, cols);
        }
        return s + " ".repeat(cols - s.length());
    }

    private static String tail(String s, int width) {
        if (width <= 0) {
            return "";
        }
        return s.length() <= width ? s : "…" + s.substring(s.length() - width + 1);
    }
}
