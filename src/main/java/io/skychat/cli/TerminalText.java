package io.skychat.cli;

/** Making peer-supplied text safe and short for a terminal line. */
final class TerminalText {

    private TerminalText() {
    }

    /**
     * Escapes line breaks as {@code \n} (one message stays one line) and other control characters as
     * {@code \\uXXXX}, so a peer cannot move the cursor or recolour the operator's terminal.
     */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** The first 8 hex characters of a key and an ellipsis, as upstream abbreviates keys. */
    static String shortKey(String hex) {
        if (hex == null || hex.isEmpty()) {
            return "-";
        }
        return hex.length() <= 8 ? hex : hex.substring(0, 8) + "…";
    }
}
