package io.skychat.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one console or script line into argv the way {@code sh} would, without expansion: blanks separate
 * words, {@code '…'} is literal, {@code "…"} keeps blanks and honours {@code \"}, {@code \\}, {@code \$} and
 * {@code \`}, a backslash outside quotes takes the next character as it is, and a {@code #} that starts a
 * word comments out the rest of the line. So {@code send -m "-- hi there"} reaches the verb as
 * {@code [send, -m, -- hi there]}.
 */
final class Words {

    private Words() {
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                i++;
                continue;
            }
            if (word == null) {
                if (c == '#') {
                    break;
                }
                word = new StringBuilder();
            }
            switch (c) {
                case '\'' -> {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw CliException.usage("unclosed ' in: " + TerminalText.escape(line));
                    }
                    word.append(line, i + 1, end);
                    i = end + 1;
                }
                case '"' -> {
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char d = line.charAt(i);
                        if (d == '"') {
                            closed = true;
                            i++;
                            break;
                        }
                        if (d == '\\' && i + 1 < n && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                            word.append(line.charAt(i + 1));
                            i += 2;
                        } else {
                            word.append(d);
                            i++;
                        }
                    }
                    if (!closed) {
                        throw CliException.usage("unclosed \" in: " + TerminalText.escape(line));
                    }
                }
                case '\\' -> {
                    if (i + 1 >= n) {
                        throw CliException.usage("a line must not end in a backslash: " + TerminalText.escape(line));
                    }
                    word.append(line.charAt(i + 1));
                    i += 2;
                }
                default -> {
                    word.append(c);
                    i++;
                }
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
