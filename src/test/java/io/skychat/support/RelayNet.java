package io.skychat.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.skychat.crypto.KeyPair;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;

/**
 * A dmsg relay and its discovery on loopback, and whatever a test starts on them, closed newest first: the
 * network group tests run their services over.
 */
public final class RelayNet implements AutoCloseable {

    /** Group settings that make a test's nodes retry and re-announce in tenths of a second, not in minutes. */
    public static final List<String> QUICK_GROUPS = List.of("--skychat.cxo.backoff-min=100ms",
            "--skychat.cxo.backoff-max=1s", "--skychat.group.join-stagger=200ms",
            "--skychat.group.roster-rebroadcast=200ms", "--skychat.group.subscribe-retry-max=1s");

    private final TestDiscovery discovery;
    private final List<AutoCloseable> open = new ArrayList<>();

    private RelayNet(TestDiscovery discovery) {
        this.discovery = discovery;
    }

    /** Discovery, then a relay whose key is derived from {@code relaySeed}. */
    public static RelayNet start(String relaySeed) {
        RelayNet net = new RelayNet(TestDiscovery.start());
        net.closing(net.discovery);
        net.closing(new TestDmsgServer(KeyPair.deterministic(relaySeed.getBytes(StandardCharsets.UTF_8)),
                net.discovery).start());
        return net;
    }

    public String discoveryUrl() {
        return discovery.url();
    }

    /** A standalone service with key {@code sk} on this relay (dmsg redialled within a second), and {@code flags}. */
    public Node node(Path dir, String sk, List<String> flags) {
        List<String> all = new ArrayList<>(List.of("--standalone", "--sk", sk, "--dmsg", "--dmsg-disc", discovery.url(),
                "--skychat.dmsg.backoff-max=1s"));
        all.addAll(flags);
        return closing(Node.start(dir, all.toArray(String[]::new)));
    }

    /** Closed with the network, after everything started later. */
    public <T extends AutoCloseable> T closing(T resource) {
        open.add(resource);
        return resource;
    }

    /** Stops a node before the network closes (it is not closed again). */
    public void stop(Node node) {
        open.remove(node);
        node.close();
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }
}
