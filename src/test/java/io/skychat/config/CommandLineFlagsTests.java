package io.skychat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandLineFlagsTests {

    @Test
    void translatesUpstreamFlagsInBothSpellings() {
        String[] out = CommandLineFlags.toSpringArguments(new String[] {
                "--standalone", "--sk", "ab", "--addr=127.0.0.1:8801", "--tcp-listen", "127.0.0.1:8800",
                "--tcp-whitelist", "a,b", "-c", "/etc/skywire.json", "--work-dir=/var/lib/skychat"});
        assertThat(out).containsExactly("--skychat.standalone=true", "--skychat.sk=ab", "--skychat.addr=127.0.0.1:8801",
                "--skychat.tcp.listen=127.0.0.1:8800", "--skychat.tcp.whitelist=a,b",
                "--skychat.config=/etc/skywire.json", "--skychat.work-dir=/var/lib/skychat");
    }

    @Test
    void repeatableFlagsBecomeAnIndexedList() {
        assertThat(CommandLineFlags.toSpringArguments(new String[] {"--tcp-peer", "tcp://a@h:1", "--tcp-peer=tcp://b@h:2"}))
                .containsExactly("--skychat.tcp.peers[0]=tcp://a@h:1", "--skychat.tcp.peers[1]=tcp://b@h:2");
    }

    @Test
    void cxoFlagsReachTheCxoProperties() {
        assertThat(CommandLineFlags.toSpringArguments(new String[] {"--cxo-listen", ":8802",
                "--cxo-peer", "tcp://a@h:1", "--cxo-peer=tcp://b@h:2"}))
                .containsExactly("--skychat.cxo.listen=:8802", "--skychat.cxo.peers[0]=tcp://a@h:1",
                        "--skychat.cxo.peers[1]=tcp://b@h:2");
    }

    @Test
    void booleanFlagsTakeAnExplicitValue() {
        assertThat(CommandLineFlags.toSpringArguments(new String[] {"--standalone=false"}))
                .containsExactly("--skychat.standalone=false");
        assertThatThrownBy(() -> CommandLineFlags.toSpringArguments(new String[] {"--standalone=yes"}))
                .hasMessage("flag --standalone takes true or false, got \"yes\"");
    }

    @Test
    void springPropertiesPassThrough() {
        assertThat(CommandLineFlags.toSpringArguments(new String[] {"--logging.level.root=debug"}))
                .containsExactly("--logging.level.root=debug");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> CommandLineFlags.toSpringArguments(new String[] {"--tcp-peers", "x"}))
                .hasMessageStartingWith("unknown flag --tcp-peers");
        assertThatThrownBy(() -> CommandLineFlags.toSpringArguments(new String[] {"--addr"}))
                .hasMessage("flag --addr needs a value");
        assertThatThrownBy(() -> CommandLineFlags.toSpringArguments(new String[] {"stray"}))
                .hasMessage("unexpected argument \"stray\"");
    }

    @Test
    void controlSurfaceSecurityFlags() {
        assertThat(CommandLineFlags.toSpringArguments(new String[] {"--api-token-file", "/run/t", "--no-auth",
                "--password-file=/etc/pw", "--allowed-host", "a.example", "--allowed-host", "b.example:8001",
                "--allowed-origin", "https://ui.example"}))
                .containsExactly("--skychat.auth.token-file=/run/t", "--skychat.auth.disabled=true",
                        "--skychat.auth.password-file=/etc/pw", "--skychat.security.allowed-hosts[0]=a.example",
                        "--skychat.security.allowed-hosts[1]=b.example:8001",
                        "--skychat.security.allowed-origins[0]=https://ui.example");
    }

    @Test
    void connectionAndStreamCaps() {
        assertThat(CommandLineFlags.toSpringArguments(new String[] {"--max-streams", "3", "--max-connections=auto"}))
                .containsExactly("--skychat.limits.max-streams=3", "--skychat.limits.max-connections=auto");
    }

    @Test
    void dmsgFlags() {
        assertThat(CommandLineFlags.toSpringArguments(new String[] {"--dmsg", "--dmsg-disc", "http://127.0.0.1:9090",
                "--dmsg-sessions=2", "--dmsg-server", "pk1@h:1", "--dmsg-server=pk2@h:2"}))
                .containsExactly("--skychat.dmsg.enabled=true", "--skychat.dmsg.disc=http://127.0.0.1:9090",
                        "--skychat.dmsg.sessions=2", "--skychat.dmsg.servers[0]=pk1@h:1", "--skychat.dmsg.servers[1]=pk2@h:2");
        assertThat(CommandLineFlags.toSpringArguments(new String[] {"--dmsg=false"}))
                .containsExactly("--skychat.dmsg.enabled=false");
    }
}
