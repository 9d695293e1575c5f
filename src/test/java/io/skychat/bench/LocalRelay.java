package io.skychat.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import io.skychat.crypto.KeyPair;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;

/**
 * A dmsg discovery and one dmsg server on loopback, the ones the tests use, for trying dmsg, pairs and groups on
 * one machine without reaching the public network: prints the flags that point a node at them, then runs until
 * interrupted (Ctrl-C).
 */
public final class LocalRelay {

    private LocalRelay() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        KeyPair key = KeyPair.deterministic("skychat local relay".getBytes(StandardCharsets.UTF_8));
        TestDiscovery discovery = port == 0 ? TestDiscovery.start() : TestDiscovery.notStarted().startOn(port);
        TestDmsgServer relay = new TestDmsgServer(key, discovery).start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            discovery.close();
            stop.countDown();
        }));
        System.out.println("dmsg discovery " + discovery.url() + ", dmsg server " + relay.address());
        System.out.println("start each node with: --dmsg --dmsg-disc " + discovery.url());
        stop.await();
    }
}
