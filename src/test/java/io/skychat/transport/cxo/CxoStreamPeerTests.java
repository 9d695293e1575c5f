package io.skychat.transport.cxo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.core.TransportKind;
import io.skychat.support.Keys;
import org.junit.jupiter.api.Test;

class CxoStreamPeerTests {

    @Test
    void dmsgAndSkynetPeersParseAndPrintBack() {
        CxoStreamPeer d = CxoStreamPeer.parse(" dmsg://" + Keys.ALICE_PK + " ");
        assertThat(d.network()).isEqualTo(TransportKind.DMSG);
        assertThat(d.key()).isEqualTo(PeerKey.parse(Keys.ALICE_PK));
        assertThat(d).hasToString("dmsg://" + Keys.ALICE_PK);
        assertThat(CxoStreamPeer.parse("SKYNET://" + Keys.BOB_PK).network()).isEqualTo(TransportKind.SKYNET);
    }

    @Test
    void onlyRelaySchemesAreRelayPeersAndTcpIsLeftToCxoPeer() {
        assertThat(CxoStreamPeer.isRelay("dmsg://" + Keys.ALICE_PK)).isTrue();
        assertThat(CxoStreamPeer.isRelay("tcp://" + Keys.ALICE_PK + "@127.0.0.1:8802")).isFalse();
        assertThat(CxoStreamPeer.isRelay(null)).isFalse();
    }

    @Test
    void badInputSaysWhatIsWrongAndNamesTheFlag() {
        assertThatThrownBy(() -> CxoStreamPeer.parse("dmsg://nothex"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cxo-peer: invalid pk \"nothex\"");
        assertThatThrownBy(() -> CxoStreamPeer.parse("udp://" + Keys.ALICE_PK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with \"tcp://\", \"dmsg://\" or \"skynet://\"");
    }
}
