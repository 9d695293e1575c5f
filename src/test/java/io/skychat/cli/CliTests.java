package io.skychat.cli;

import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.skychat.support.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verbs that need no running service, and the mistakes caught before any request is made. */
class CliTests {

    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void everyVerbHasHelpWithExamples() {
        for (String verb : Cli.verbs().keySet()) {
            CliRunner.Result r = cli().run(verb, "--help");
            assertThat(r.exit()).as(verb).isZero();
            assertThat(r.out()).as(verb).startsWith("skychat " + verb + " — ").contains("usage: skychat " + verb)
                    .contains("examples:").contains("--addr");
            assertThat(r.err()).isEmpty();
        }
        assertThat(cli().run("help").out()).contains("send").contains("listen").contains("chat").contains("exit codes");
        assertThat(cli().run("help", "history").out()).contains("--since");
    }

    @Test
    void globalFlagsMayComeBeforeTheVerb() {
        assertThat(Cli.isVerb(new String[] {"--addr", "127.0.0.1:9", "status"})).isTrue();
        assertThat(Cli.isVerb(new String[] {"--json", "--token=t", "history", "--limit", "5"})).isTrue();
        assertThat(Cli.verbFirst(new String[] {"--addr", "127.0.0.1:9", "--json", "status", "--peer", "x"}))
                .containsExactly("status", "--addr", "127.0.0.1:9", "--json", "--peer", "x");
        // the service's own flags still start the service
        assertThat(Cli.isVerb(new String[] {"--addr", "0.0.0.0:8001"})).isFalse();
        assertThat(Cli.isVerb(new String[] {"--addr", "0.0.0.0:8001", "--standalone", "status"})).isFalse();
        // a word after them is a verb, or a mistake the CLI names
        assertThat(Cli.isVerb(new String[] {"--addr", "0.0.0.0:8001", "statu"})).isTrue();
        CliRunner.Result typo = cli().run("--addr", "127.0.0.1:9", "statu");
        assertThat(typo.exit()).isEqualTo(Cli.USAGE);
        assertThat(typo.err()).isEqualTo("skychat: unknown command \"statu\" (try: skychat help)\n");
        // and a verb told where to go before its name asks there: nothing listens on port 9
        CliRunner.Result r = cli().run("--addr", "127.0.0.1:9", "status");
        assertThat(r.exit()).isEqualTo(Cli.UNREACHABLE);
        assertThat(r.err()).contains("127.0.0.1:9");
    }

    @Test
    void unknownVerbsAndFlagsAreUsageErrorsOnStderr() {
        CliRunner.Result r = cli().run("sned", "-t", "x");
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("skychat: unknown command \"sned\" (try: skychat help)\n");
        r = cli().run("status", "--bogus");
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).startsWith("skychat status: unknown flag --bogus\n");
    }

    @Test
    void sendChecksItsArgumentsBeforeCallingAnyone() {
        CliRunner.Result r = cli().run("send", "-t", BOB_PK);
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).startsWith("skychat send: -m/--msg is required and must not be empty\n");
        r = cli().run("send", "-t", "nobody", "-m", "hi");
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).startsWith("skychat send: -t/--to \"nobody\" is neither a public key nor a known alias");
        r = cli().run("send", "-t", BOB_PK, "-m", "hi", "-n", "pigeon");
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).contains("unknown network 'pigeon'");
        r = cli().run("send", "-t", BOB_PK, "-m", "hi", "-w", "soon");
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
        r = cli().run("send", "--via", "03fe@1.2.3.4:1", "-m", "hi");
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).contains("must start with \"tcp://\"");
        r = cli().run("history", "--limit", "1001");
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).contains("--limit must be between 1 and 1000");
        r = cli().run("events", "--channel", "dm,gossip");
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
        r = cli().run("listen", "--raw", "--json");
        assertThat(r.exit()).isEqualTo(Cli.USAGE);
    }

    @Test
    void aliasesAreAddedListedResolvedAndRemoved() throws Exception {
        CliRunner cli = cli();
        CliRunner.Result r = cli.run("alias", "add", "bob", BOB_PK);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("alias bob → " + BOB_PK + "\n");
        // upstream's docs also show the key first
        assertThat(cli.run("alias", "add", Keys.ALICE_PK, "alice").exit()).isZero();
        Path file = home.resolve("config/skywire/skychat-aliases.json");
        assertThat(Json.tree(Files.readString(file), "t").get("bob").asString()).isEqualTo(BOB_PK);
        try (var dir = Files.list(file.getParent())) {
            assertThat(dir).as("no temporary files left behind").containsExactly(file);
        }
        assertThat(cli.run("alias", "ls").out()).isEqualTo(String.format("%-20s %s%n%-20s %s%n", "alice", Keys.ALICE_PK, "bob", BOB_PK));
        assertThat(Json.tree(cli.run("alias", "ls", "--json").out(), "t").get("alice").asString()).isEqualTo(Keys.ALICE_PK);
        assertThat(cli.aliasesFor().resolve("bob", "-t").hex()).isEqualTo(BOB_PK);

        assertThat(cli.run("alias", "add", "2fast", BOB_PK).exit()).isEqualTo(Cli.USAGE);
        assertThat(cli.run("alias", "add", "carol", "not-a-key").exit()).isEqualTo(Cli.USAGE);
        r = cli.run("alias", "add", "bob", Keys.CAROL_PK);
        assertThat(r.out()).isEqualTo("alias bob replaced (was " + BOB_PK + ", now " + Keys.CAROL_PK + ")\n");

        assertThat(cli.run("alias", "rm", "bob").out()).isEqualTo("alias bob removed\n");
        r = cli.run("alias", "rm", "bob");
        assertThat(r.exit()).isEqualTo(Cli.FAILED);
        assertThat(r.err()).isEqualTo("skychat alias: no such alias \"bob\"\n");
    }

    @Test
    void theAliasFileFollowsXdgElseHome() {
        assertThat(Aliases.fileFor(new CliEnv(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h"), home)))
                .isEqualTo(Path.of("/x/skywire/skychat-aliases.json"));
        assertThat(Aliases.fileFor(new CliEnv(Map.of("HOME", "/h"), home)))
                .isEqualTo(Path.of("/h/.config/skywire/skychat-aliases.json"));
    }

    @Test
    void theTokenComesFromFlagThenEnvThenFileThenTheDefaultFile() throws Exception {
        Files.createDirectories(home.resolve("skychat-data"));
        Files.writeString(home.resolve("skychat-data/api.token"), "default-token\n");
        Files.writeString(home.resolve("my.token"), " file-token \n");
        CliEnv noEnv = new CliEnv(Map.of(), home);
        CliEnv withEnv = new CliEnv(Map.of("SKYCHAT_TOKEN", "env-token"), home);
        String[] all = {"--token", "flag-token", "--token-file", "my.token"};
        assertThat(TokenSource.resolve(Args.parse(all, java.util.List.of()), withEnv)).isEqualTo("flag-token");
        assertThat(TokenSource.resolve(Args.parse(new String[] {"--token-file", "my.token"}, java.util.List.of()), withEnv))
                .isEqualTo("env-token");
        assertThat(TokenSource.resolve(Args.parse(new String[] {"--token-file", "my.token"}, java.util.List.of()), noEnv))
                .isEqualTo("file-token");
        assertThat(TokenSource.resolve(Args.parse(new String[0], java.util.List.of()), noEnv)).isEqualTo("default-token");
        Files.delete(home.resolve("skychat-data/api.token"));
        assertThat(TokenSource.resolve(Args.parse(new String[0], java.util.List.of()), noEnv)).isNull();
    }

    @Test
    void genKeysPrintsAMatchingPair() {
        CliRunner.Result r = cli().run("gen-keys");
        assertThat(r.exit()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(io.skychat.crypto.KeyPair.fromSecretHex(lines[1]).publicKey().hex()).isEqualTo(lines[0]);
        assertThat(Json.tree(cli().run("gen-keys", "--json").out(), "t").get("public_key").asString()).hasSize(66);
    }

    @Test
    void completionScriptKnowsEveryVerb() {
        String script = cli().run("completion", "bash").out();
        for (String verb : Cli.verbs().keySet()) {
            assertThat(script).contains(verb);
        }
        assertThat(script).contains("complete -F _skychat skychat").contains("--via");
    }
}
