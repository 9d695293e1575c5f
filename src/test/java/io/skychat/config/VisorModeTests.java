package io.skychat.config;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.skychat.core.PeerKey;
import io.skychat.transport.visor.VisorSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.env.MockEnvironment;

class VisorModeTests {

    static final String PROC_CONFIG = "{\"app_name\":\"skychat\",\"app_server_addr\":\"localhost:5505\","
            + "\"proc_key\":\"a1b2c3d4e5f60718293a4b5c6d7e8f90\",\"proc_args\":[\"--addr\",\":8001\"],"
            + "\"proc_work_dir\":\"/var/lib/skywire/skychat\",\"visor_pk\":\"" + ALICE_PK + "\",\"routing_port\":1}";

    static MockEnvironment env(String... keyValues) {
        MockEnvironment env = new MockEnvironment();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    /** The properties as Spring binds them from flags, defaults included. */
    static SkychatProperties props(String... flags) {
        Map<String, String> map = new HashMap<>();
        for (String arg : CommandLineFlags.toSpringArguments(flags)) {
            String[] kv = arg.substring(2).split("=", 2);
            map.put(kv[0], kv[1]);
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("skychat", SkychatProperties.class);
    }

    static VisorSettings settings(MockEnvironment env, String... flags) {
        return VisorMode.settings(props(flags), env);
    }

    @Test
    void aVisorIsAskedForByProcConfigOrAnAppServerUnlessStandalone() {
        assertThat(VisorMode.requested(env())).isFalse();
        assertThat(VisorMode.requested(env("PROC_CONFIG", PROC_CONFIG))).isTrue();
        assertThat(VisorMode.requested(env("skychat.visor.app-server", "visor:5505"))).isTrue();
        assertThat(VisorMode.requested(env("PROC_CONFIG", PROC_CONFIG, "skychat.standalone", "true"))).isFalse();
    }

    @Test
    void asTheVisorsChildEverythingComesFromProcConfig() {
        VisorSettings s = settings(env("PROC_CONFIG", PROC_CONFIG));
        assertThat(VisorSettings.describe(s.appServer())).isEqualTo("localhost:5505");
        assertThat(s.visorPk()).isEqualTo(PeerKey.parse(ALICE_PK));
        assertThat(s.procConfig().procKey().hex()).isEqualTo("a1b2c3d4e5f60718293a4b5c6d7e8f90");
        assertThat(s.registers()).isFalse();
        assertThat(s.networks()).containsExactly("skynet", "dmsg");
        assertThat(s.backoffMin()).hasSeconds(1);
        assertThat(s.backoffMax()).hasSeconds(30);
    }

    @Test
    void networksFollowTheSkynetAndDmsgFlags() {
        assertThat(settings(env("PROC_CONFIG", PROC_CONFIG), "--skynet=false").networks()).containsExactly("dmsg");
        assertThat(settings(env("PROC_CONFIG", PROC_CONFIG), "--dmsg=false").networks()).containsExactly("skynet");
        assertThatThrownBy(() -> settings(env("PROC_CONFIG", PROC_CONFIG), "--dmsg=false", "--skynet=false"))
                .hasMessage("visor mode needs at least one of --skynet and --dmsg");
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path work;

    @Test
    void besideTheVisorItRegistersWithAKeyKeptInTheWorkDir() throws Exception {
        String dir = work.resolve("state").toString();
        VisorSettings s = settings(env(), "--app-server", "10.0.0.2:5505", "--visor-rpc", "10.0.0.2:3435",
                "--visor-pk", ALICE_PK, "--work-dir", dir);
        assertThat(s.registers()).isTrue();
        assertThat(VisorSettings.describe(s.visorRpc())).isEqualTo("10.0.0.2:3435");
        assertThat(s.procConfig().appName()).isEqualTo("skychat");
        assertThat(s.procConfig().appServerAddr()).isEqualTo("10.0.0.2:5505");
        assertThat(s.procConfig().visorPk()).isEqualTo(PeerKey.parse(ALICE_PK));
        assertThat(s.procConfig().routingPort()).isEqualTo(1);
        assertThat(java.nio.file.Files.readString(work.resolve("state").resolve("visor-proc.key")).strip())
                .isEqualTo(s.procConfig().procKey().hex());
        // The next start (after a crash the visor still knows this key) registers with the same one.
        assertThat(settings(env(), "--app-server", "v:5505", "--visor-rpc", "v:3435", "--visor-pk", ALICE_PK,
                "--work-dir", dir).procConfig().procKey()).isEqualTo(s.procConfig().procKey());
        assertThat(settings(env(), "--app-server", "v:5505", "--visor-rpc", "v:3435", "--visor-pk", ALICE_PK,
                "--work-dir", work.resolve("other").toString()).procConfig().procKey())
                .isNotEqualTo(s.procConfig().procKey());
    }

    @Test
    void besideTheVisorMistakesAreNamed() {
        assertThatThrownBy(() -> settings(env(), "--app-server", "v:5505", "--visor-pk", ALICE_PK))
                .hasMessageStartingWith("--app-server needs --visor-rpc host:3435 too");
        assertThatThrownBy(() -> settings(env(), "--app-server", "v:5505", "--visor-rpc", "v:3435"))
                .hasMessageStartingWith("attaching beside a visor needs its key: --visor-pk <pk>");
        assertThatThrownBy(() -> settings(env(), "--app-server", "v:5505", "--visor-rpc", "v:3435", "--visor-pk", "02ab"))
                .hasMessage("--visor-pk: public key must be 66 hex characters, got 4");
        assertThatThrownBy(() -> settings(env(), "--app-server", "v", "--visor-rpc", "v:3435", "--visor-pk", ALICE_PK))
                .hasMessage("--app-server: 'v' is not host:port");
    }

    @Test
    void underAVisorTheKeyIsTheVisorsAndASecretMustMatchIt() {
        PeerKey visor = PeerKey.parse(ALICE_PK);
        IdentityResolver.Identity none = IdentityResolver.resolveForVisor(visor, "PROC_CONFIG visor_pk", null, null, null);
        assertThat(none.publicKey()).isEqualTo(visor);
        assertThat(none.hasSecret()).isFalse();
        assertThat(none.source()).isEqualTo("PROC_CONFIG visor_pk; the visor holds the secret key");

        IdentityResolver.Identity own = IdentityResolver.resolveForVisor(visor, "PROC_CONFIG visor_pk", ALICE_SK, null, null);
        assertThat(own.hasSecret()).isTrue();
        assertThat(own.keyPair().publicKey()).isEqualTo(visor);

        assertThatThrownBy(() -> IdentityResolver.resolveForVisor(visor, "PROC_CONFIG visor_pk", BOB_SK, null, null))
                .hasMessageContaining("but the visor is " + ALICE_PK);
    }

    @Test
    void theVisorFlagsTranslate() {
        assertThat(List.of(CommandLineFlags.toSpringArguments(new String[] {"--app-server", "h:5505", "--visor-rpc=h:3435",
                "--visor-pk", "pk", "--skynet=false", "--dmsg", "--pair-rpc", "localhost:3435"})))
                .containsExactly("--skychat.visor.app-server=h:5505", "--skychat.visor.rpc=h:3435",
                        "--skychat.visor.pk=pk", "--skychat.visor.skynet=false", "--skychat.dmsg.enabled=true",
                        "--skychat.visor.pair-rpc=localhost:3435");
    }
}
