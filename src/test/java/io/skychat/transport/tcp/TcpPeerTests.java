package io.skychat.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TcpPeerTests {

    private static final String PK = "024d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66";

    @Test
    void parsesTheUpstreamSpec() {
        TcpPeer peer = TcpPeer.parse("tcp://" + PK + "@127.0.0.1:8800");
        assertThat(peer.key().hex()).isEqualTo(PK);
        assertThat(peer.host()).isEqualTo("127.0.0.1");
        assertThat(peer.port()).isEqualTo(8800);
        assertThat(peer).hasToString("tcp://" + PK + "@127.0.0.1:8800");
    }

    @Test
    void errorsMatchUpstreamWording() {
        assertThatThrownBy(() -> TcpPeer.parse(PK + "@h:1")).hasMessage("tcp-peer: must start with \"tcp://\": " + PK + "@h:1");
        assertThatThrownBy(() -> TcpPeer.parse("tcp://" + PK)).hasMessageContaining("missing @ separator");
        assertThatThrownBy(() -> TcpPeer.parse("tcp://abc@h:1")).hasMessageContaining("invalid pk \"abc\"");
        assertThatThrownBy(() -> TcpPeer.parse("tcp://" + PK + "@h")).hasMessageContaining("invalid host:port");
        assertThatThrownBy(() -> TcpPeer.parse("tcp://" + PK + "@h:99999")).hasMessageContaining("out of range");
    }
}
