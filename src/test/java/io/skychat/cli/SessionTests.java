package io.skychat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SessionTests {

    private static Session session(String... flags) {
        return Session.of(Args.parse(flags, List.of()));
    }

    @Test
    void theSessionsFlagsGoInFrontSoTheLinesPositionalWordsStayInPlace() {
        Session s = session("--addr", ":8002", "--token-file", "t.txt");
        assertThat(s.argv(List.of("alias", "add", "bob", "03ab"))).containsExactly(
                "alias", "--addr", ":8002", "--token-file", "t.txt", "add", "bob", "03ab");
        assertThat(s.argv(List.of("send", "-m", "-- hi there", "--", "x"))).containsExactly(
                "send", "--addr", ":8002", "--token-file", "t.txt", "-m", "-- hi there", "--", "x");
    }

    @Test
    void aLinesOwnFlagsWinAndEitherTokenFlagReplacesBoth() {
        Session s = session("--addr", ":8002", "--token-file", "t.txt");
        assertThat(s.argv(List.of("status", "--addr=:9000", "--token", "abc"))).containsExactly(
                "status", "--addr=:9000", "--token", "abc");
        assertThat(s.argv(List.of("status", "--token-file", "other"))).containsExactly(
                "status", "--addr", ":8002", "--token-file", "other");
    }

    @Test
    void aMessageThatLooksLikeAFlagDoesNotCountAsTheLineSettingIt() {
        Session s = session("--addr", ":8002");
        assertThat(s.argv(List.of("send", "-m", "--addr"))).containsExactly("send", "--addr", ":8002", "-m", "--addr");
    }

    @Test
    void unknownVerbsHelpAndBrokenLinesPassThroughForTheVerbToReport() {
        Session s = session("--addr", ":8002");
        assertThat(s.argv(List.of("nosuch", "x"))).containsExactly("nosuch", "x");
        assertThat(s.argv(List.of("help", "send"))).containsExactly("help", "send");
        assertThat(s.argv(List.of("send", "--bogus"))).containsExactly("send", "--bogus");
        assertThat(session().argv(List.of("status"))).containsExactly("status");
        assertThat(session().addrOrDefault()).isEqualTo(ServiceClient.DEFAULT_ADDR);
    }
}
