package io.skychat.cli;

import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;

/**
 * What Tab proposes, from the verbs' own option lists; the service here is an address nothing listens on,
 * so the remote candidates (history peers, pairing peers, groups) must simply be absent.
 */
class ShellCompletionTests {

    private static List<String> propose(ShellCompletion c, Verb verb, String... words) {
        CompletionContext context = new CompletionContext(List.of(words), words.length - 1,
                words[words.length - 1].length(), null, null);
        return c.propose(verb, context).stream().map(CompletionProposal::value).toList();
    }

    private static ShellCompletion completion(Path home) {
        CliRunner cli = new CliRunner(home);
        assertThat(cli.run("alias", "add", "bob", BOB_PK).exit()).isZero();
        return new ShellCompletion(Session.of(Args.parse(new String[] {"--addr", "127.0.0.1:9"}, List.of())), cli.cliEnv());
    }

    @Test
    void flagsComeFromTheVerbsOwnOptionsAndTheGlobalOnes(@TempDir Path home) {
        ShellCompletion c = completion(home);
        assertThat(propose(c, new SendVerb(), "send", "-")).contains("--to", "--msg", "--net", "--wait", "--via", "--addr",
                "--token-file", "--json", "--help");
        assertThat(propose(c, new ListenVerb(), "listen", "")).contains("--from", "--raw").doesNotContain("--msg");
    }

    @Test
    void peerValuesAreTheAliasesWhenTheServiceCannotBeAskedAndNetworksAreNamed(@TempDir Path home) {
        ShellCompletion c = completion(home);
        assertThat(propose(c, new SendVerb(), "send", "-t", "b")).containsExactly("bob");
        assertThat(propose(c, new ListenVerb(), "listen", "--from", "")).containsExactly("bob");
        assertThat(propose(c, new SendVerb(), "send", "-n", "")).contains("skynet", "dmsg", "tcp-direct");
        assertThat(propose(c, new EventsVerb(), "events", "--channel", "")).contains("dm", "group", "pair", "system", "all");
        assertThat(propose(c, new SendVerb(), "send", "-m", "")).as("a message has no candidates").isEmpty();
    }

    @Test
    void positionalWordsAliasSubcommandsAndHelpTopics(@TempDir Path home) {
        ShellCompletion c = completion(home);
        assertThat(propose(c, new AliasVerb(), "alias", "")).contains("add", "ls", "rm");
        assertThat(propose(c, new AliasVerb(), "alias", "rm", "")).contains("bob");
        assertThat(propose(c, null, "help", "")).contains("send", "listen", "script", "shell");
    }

    @Test
    void theConsoleDescribesEachVerbsFlagsOnceFromTheSameList() {
        List<CommandOption> options = ShellConsole.options(new SendVerb());
        assertThat(options).extracting(CommandOption::longName)
                .containsSubsequence("to", "msg", "net", "addr", "json", "token", "token-file", "help");
        assertThat(options).filteredOn(o -> "to".equals(o.longName())).singleElement()
                .satisfies(o -> assertThat(o.shortName()).isEqualTo('t'));
        assertThat(options).filteredOn(o -> "json".equals(o.longName())).singleElement()
                .satisfies(o -> assertThat(o.type()).isEqualTo(boolean.class));
    }
}
