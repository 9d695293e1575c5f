package io.skychat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WordsTests {

    @Test
    void quotedWordsKeepTheirBlanksQuotesAndLeadingDashes() {
        assertThat(Words.split("send -m \"-- hi there\" -t bob")).containsExactly("send", "-m", "-- hi there", "-t", "bob");
        assertThat(Words.split("send -m 'it''s \"quoted\"'")).containsExactly("send", "-m", "its \"quoted\"");
        assertThat(Words.split("send -m \"say \\\"hi\\\" \\\\ \\n\"")).containsExactly("send", "-m", "say \"hi\" \\ \\n");
        assertThat(Words.split("send -m a\\ b --msg=\"x y\"")).containsExactly("send", "-m", "a b", "--msg=x y");
        assertThat(Words.split("send -m ''")).containsExactly("send", "-m", "");
    }

    @Test
    void blankLinesAndCommentsGiveNoWordsButAHashInsideAWordIsText() {
        assertThat(Words.split("   \t ")).isEmpty();
        assertThat(Words.split("# alias add bob …")).isEmpty();
        assertThat(Words.split("status --json  # how is it")).containsExactly("status", "--json");
        assertThat(Words.split("send -m issue#4 -m '# not a comment'")).containsExactly("send", "-m", "issue#4", "-m", "# not a comment");
    }

    @Test
    void anUnclosedQuoteIsAUsageErrorNamingTheLine() {
        assertThatThrownBy(() -> Words.split("send -m \"oops"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(Cli.USAGE))
                .hasMessageContaining("unclosed \"");
        assertThatThrownBy(() -> Words.split("send -m 'oops")).hasMessageContaining("unclosed '");
        assertThatThrownBy(() -> Words.split("send -m oops\\")).hasMessageContaining("backslash");
    }
}
