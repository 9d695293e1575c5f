package io.skychat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LoadOptionsTests {

    @Test
    void noArgumentsRunEverySectionWithTheDefaults() {
        LoadOptions o = LoadOptions.parse();
        assertThat(o).isEqualTo(LoadOptions.defaults());
        assertThat(o.sections()).containsExactlyInAnyOrder("raw", "service", "http");
        assertThat(o.windows()).containsExactly(32, 128, 512);
        assertThat(o.httpClients()).containsExactly(1, 16);
    }

    @Test
    void theOldPositionalFormStillMeansMessagesWorkersSize() {
        LoadOptions o = LoadOptions.parse("3000", "16", "250");
        assertThat(o.messages()).isEqualTo(3000);
        assertThat(o.httpMessages()).isEqualTo(3000);
        assertThat(o.httpClients()).containsExactly(1, 16);
        assertThat(o.size()).isEqualTo(250);
        assertThat(LoadOptions.parse("100", "1").httpClients()).containsExactly(1);
    }

    @Test
    void flagsTakeTheirValueAfterASpaceOrAnEqualsSign() {
        LoadOptions o = LoadOptions.parse("--messages", "20_000", "--window=32,128,32", "--peers", "4", "--size=1024",
                "--http-clients", "1,16,64", "--only", "raw,service", "--warmup", "0", "--seq-messages=50",
                "--http-messages", "7");
        assertThat(o.messages()).isEqualTo(20_000);
        assertThat(o.windows()).as("duplicates dropped, order kept").isEqualTo(List.of(32, 128));
        assertThat(o.peers()).isEqualTo(4);
        assertThat(o.size()).isEqualTo(1024);
        assertThat(o.httpClients()).containsExactly(1, 16, 64);
        assertThat(o.sections()).isEqualTo(Set.of("raw", "service"));
        assertThat(o.runs("http")).isFalse();
        assertThat(o.warmup()).isZero();
        assertThat(o.seqMessages()).isEqualTo(50);
        assertThat(o.httpMessages()).isEqualTo(7);
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> LoadOptions.parse("--window", "32,x"))
                .hasMessage("--window must be a whole number, got 'x'");
        assertThatThrownBy(() -> LoadOptions.parse("--peers", "0")).hasMessage("--peers must be at least 1, got 0");
        assertThatThrownBy(() -> LoadOptions.parse("--size", "70000")).hasMessageStartingWith("--size 70000 exceeds 65000");
        assertThatThrownBy(() -> LoadOptions.parse("--only", "raw,sse"))
                .hasMessage("--only: unknown section 'sse' (raw, service, http)");
        assertThatThrownBy(() -> LoadOptions.parse("--frobnicate", "1")).hasMessage("unknown option --frobnicate");
        assertThatThrownBy(() -> LoadOptions.parse("--messages")).hasMessage("--messages needs a value");
        assertThatThrownBy(() -> LoadOptions.parse("1", "2", "3", "4")).hasMessageStartingWith("unexpected argument '4'");
        assertThatThrownBy(() -> LoadOptions.parse("--messages", "3", "--peers", "4"))
                .hasMessage("--messages 3 is fewer than --peers 4 (each peer sends at least one)");
        assertThatThrownBy(() -> LoadOptions.parse("--warmup", "-1")).hasMessage("--warmup must not be negative, got -1");
    }
}
