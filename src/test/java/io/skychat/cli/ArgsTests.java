package io.skychat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ArgsTests {

    private static final List<Args.Option> SEND = new SendVerb().options();

    @Test
    void valuesAreTakenVerbatimWhateverTheyContain() {
        Args a = Args.parse(new String[] {"-t", "bob", "-m", "-- hello \"world\" --json", "--wait=0", "--verbose"}, SEND);
        assertThat(a.get("to")).isEqualTo("bob");
        assertThat(a.get("msg")).isEqualTo("-- hello \"world\" --json");
        assertThat(a.get("wait")).isEqualTo("0");
        assertThat(a.flag("verbose")).isTrue();
        assertThat(a.flag("json")).isFalse();
    }

    @Test
    void globalFlagsWorkWithEveryVerbAndLongFormsEqualShortOnes() {
        Args a = Args.parse(new String[] {"--to", "bob", "--msg=x", "--addr", ":8002", "--json"}, SEND);
        assertThat(a.get("to")).isEqualTo("bob");
        assertThat(a.get("msg")).isEqualTo("x");
        assertThat(a.get("addr")).isEqualTo(":8002");
        assertThat(a.flag("json")).isTrue();
    }

    @Test
    void positionalArgumentsAndTheDoubleDash() {
        Args a = Args.parse(new String[] {"add", "bob", "--", "--not-a-flag"}, List.of());
        assertThat(a.positional()).containsExactly("add", "bob", "--not-a-flag");
    }

    @Test
    void mistakesAreUsageErrorsThatSayWhat() {
        assertThatThrownBy(() -> Args.parse(new String[] {"--tooo", "x"}, SEND))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(Cli.USAGE))
                .hasMessage("unknown flag --tooo");
        assertThatThrownBy(() -> Args.parse(new String[] {"-m"}, SEND))
                .hasMessageContaining("flag --msg needs a value");
        assertThatThrownBy(() -> Args.parse(new String[] {"--verbose=yes"}, SEND))
                .hasMessageContaining("takes no value");
        Args a = Args.parse(new String[] {"-r", "many"}, SEND);
        assertThatThrownBy(() -> a.intValue("retries", 0, 0, 10)).hasMessageContaining("takes a number");
    }

    @Test
    void goStyleDurations() {
        assertThat(Durations.parse("-w", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("-w", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("-w", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("-w", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("-w", "0")).isZero();
        assertThat(Durations.parse("-w", "7")).isEqualTo(Duration.ofSeconds(7));
        assertThatThrownBy(() -> Durations.parse("-w", "5 seconds")).hasMessageContaining("takes a duration");
        assertThatThrownBy(() -> Durations.parse("-w", "s5")).hasMessageContaining("takes a duration");
    }
}
