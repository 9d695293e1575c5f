package io.skychat.transport.dmsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.skychat.support.Keys;
import org.junit.jupiter.api.Test;

class DmsgServerAddressTests {

    @Test
    void parsesTheFlagForm() {
        DmsgServerAddress a = DmsgServerAddress.parse(Keys.BOB_PK + "@127.0.0.1:30086");
        assertThat(a.key().hex()).isEqualTo(Keys.BOB_PK);
        assertThat(a.host()).isEqualTo("127.0.0.1");
        assertThat(a.port()).isEqualTo(30086);
        assertThat(DmsgServerAddress.fromEntry(a.key(), "[::1]:9083").host()).isEqualTo("::1");
    }

    @Test
    void badFormsSayWhatIsWrong() {
        assertThatThrownBy(() -> DmsgServerAddress.parse("127.0.0.1:30086")).hasMessageContaining("expected <pk>@host:port");
        assertThatThrownBy(() -> DmsgServerAddress.parse("abc@127.0.0.1:30086")).hasMessageContaining("66 hex characters");
        assertThatThrownBy(() -> DmsgServerAddress.parse(Keys.BOB_PK + "@host")).hasMessageContaining("expected host:port");
        assertThatThrownBy(() -> DmsgServerAddress.parse(Keys.BOB_PK + "@host:99999")).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> DmsgServerAddress.parse(Keys.BOB_PK + "@host:x")).hasMessageContaining("not a number");
    }

    @Test
    void settingsRefuseWhatCannotWork() {
        assertThatThrownBy(() -> DmsgSettings.of(URI.create("ftp://x"), 1, List.of())).hasMessageContaining("http://");
        assertThatThrownBy(() -> DmsgSettings.of(URI.create("http://x"), 0, List.of())).hasMessageContaining("at least 1");
        assertThat(DmsgSettings.PRODUCTION_DISCOVERY).isEqualTo("http://dmsgd.skywire.skycoin.com");
    }

    @Test
    void ephemeralPortsStartAt49152AndAreNeverHandedOutTwice() {
        EphemeralPorts ports = new EphemeralPorts();
        assertThat(ports.reserve()).isEqualTo(49152);
        assertThat(ports.reserve()).isEqualTo(49153);
        ports.release(49152);
        Set<Integer> seen = new HashSet<>(Set.of(49153));
        for (int i = 0; i < EphemeralPorts.LAST - EphemeralPorts.FIRST; i++) {
            int p = ports.reserve();
            assertThat(p).isBetween(EphemeralPorts.FIRST, EphemeralPorts.LAST);
            assertThat(seen.add(p)).as("port %d handed out twice", p).isTrue();
        }
        assertThatThrownBy(ports::reserve).isInstanceOf(IllegalStateException.class);
        ports.release(50000);
        assertThat(ports.reserve()).isEqualTo(50000);
    }
}
