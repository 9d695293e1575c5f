package io.skychat.transport.dmsg;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.SignatureException;
import io.skychat.crypto.Signatures;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A dmsg-discovery entry (upstream {@code disc.Entry}): a client lists the servers it can be reached
 * through, a server its address. The signature is the node key's over {@link #signedJson()}; see
 * docs/dmsg-wire.md for how and when a node posts it.
 *
 * @param sequence  iteration, 0 for a new key; each update needs a higher one
 * @param timestamp Unix time in nanoseconds of this iteration
 * @param signature 130 lower-case hex characters (65 bytes), or null before signing
 */
public record DiscoveryEntry(String version, long sequence, long timestamp, PeerKey staticKey, Client client,
                             String clientType, Server server, String signature) {

    /** The only entry version upstream writes. */
    public static final String VERSION = "0.0.1";

    public DiscoveryEntry {
        if (version == null || version.isEmpty()) {
            throw new IllegalArgumentException("entry has no version");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + sequence);
        }
        Objects.requireNonNull(staticKey, "static key");
        if (client == null && server == null) {
            throw new IllegalArgumentException("entry has neither client or server field"); // upstream's wording
        }
        clientType = clientType == null ? "" : clientType;
        if (signature != null) {
            signature = signature.toLowerCase(Locale.ROOT);
            if (signature.length() != 2 * Signatures.LENGTH || !signature.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                throw new IllegalArgumentException("signature must be " + 2 * Signatures.LENGTH + " hex characters");
            }
        }
    }

    /** @param delegatedServers the servers a peer can reach us through; empty (sent as null) means not dialable */
    public record Client(List<PeerKey> delegatedServers) {
        public Client {
            delegatedServers = delegatedServers == null ? List.of() : List.copyOf(delegatedServers);
        }
    }

    /** @param address host:port of the server's TCP listener */
    public record Server(String address, long availableSessions, String serverType) {
        public Server {
            if (address == null || address.isEmpty()) {
                throw new IllegalArgumentException("server address cannot be empty");
            }
            serverType = serverType == null ? "" : serverType;
        }
    }

    /** Upstream NewClientEntry, unsigned. */
    public static DiscoveryEntry client(PeerKey pk, long sequence, long timestampNanos, List<PeerKey> delegatedServers) {
        return new DiscoveryEntry(VERSION, sequence, timestampNanos, pk, new Client(delegatedServers), "", null, null);
    }

    /** Upstream NewServerEntry, unsigned. */
    public static DiscoveryEntry server(PeerKey pk, long sequence, long timestampNanos, String address, long availableSessions) {
        return new DiscoveryEntry(VERSION, sequence, timestampNanos, pk, null, "", new Server(address, availableSessions, ""), null);
    }

    /** Upstream PutEntry's step before re-signing: the next sequence at a new time, signature cleared. */
    public DiscoveryEntry next(long timestampNanos) {
        return new DiscoveryEntry(version, sequence + 1, timestampNanos, staticKey, client, clientType, server, null);
    }

    public DiscoveryEntry withDelegatedServers(List<PeerKey> servers) {
        return new DiscoveryEntry(version, sequence, timestamp, staticKey, new Client(servers), clientType, server, null);
    }

    /** The bytes that are hashed and signed: the entry's JSON without the signature field. */
    public byte[] signedJson() {
        return EntryJson.write(this, false);
    }

    /** The body to POST (or DELETE): the JSON with the signature, if any. */
    public byte[] toJson() {
        return EntryJson.write(this, true);
    }

    /** Signs with the node key; the key must be the entry's static key. */
    public DiscoveryEntry sign(KeyPair key) {
        if (!key.publicKey().equals(staticKey)) {
            throw new IllegalArgumentException("entry of " + staticKey + " cannot be signed with the key of " + key.publicKey());
        }
        String sig = HexFormat.of().formatHex(Signatures.sign(signedJson(), key));
        return new DiscoveryEntry(version, sequence, timestamp, staticKey, client, clientType, server, sig);
    }

    /** Checks the signature over this entry as we serialise it. */
    public void verify() {
        verify(this, signedJson());
    }

    /** Parses an entry (GET entry/{pk}) and checks its signature; unknown fields are kept in what is verified. */
    public static DiscoveryEntry parse(byte[] json) {
        EntryJson.Parsed p = EntryJson.parse(EntryJson.tree(json));
        verify(p.entry(), p.signedBytes());
        return p.entry();
    }

    /** As {@link #parse(byte[])}, and the entry must be the one asked for. */
    public static DiscoveryEntry parse(byte[] json, PeerKey expected) {
        EntryJson.Parsed p = EntryJson.parse(EntryJson.tree(json));
        if (!p.entry().staticKey().equals(expected)) {
            throw DiscoveryException.wrongKey(expected.hex(), p.entry().staticKey().hex());
        }
        verify(p.entry(), p.signedBytes());
        return p.entry();
    }

    /**
     * Verified server entries and the ones refused, each with its reason.
     */
    public record ServerList(List<DiscoveryEntry> servers, List<DiscoveryException> rejected) {
        public ServerList {
            servers = List.copyOf(servers);
            rejected = List.copyOf(rejected);
        }
    }

    /**
     * Parses an {@code available_servers} / {@code all_servers} answer. One bad entry does not hide the
     * good ones; a body that is not an array of objects is refused whole.
     */
    public static ServerList parseServers(byte[] json) {
        JsonNode array = EntryJson.tree(json);
        if (!array.isArray()) {
            throw DiscoveryException.malformed("server list must be a JSON array, got " + array.getNodeType());
        }
        List<DiscoveryEntry> ok = new ArrayList<>();
        List<DiscoveryException> bad = new ArrayList<>();
        for (JsonNode node : array) {
            try {
                EntryJson.Parsed p = EntryJson.parse(node);
                if (p.entry().server() == null) {
                    throw DiscoveryException.notAServer(p.entry().staticKey().hex());
                }
                verify(p.entry(), p.signedBytes());
                ok.add(p.entry());
            } catch (DiscoveryException e) {
                bad.add(e);
            }
        }
        return new ServerList(ok, bad);
    }

    private static void verify(DiscoveryEntry e, byte[] signedBytes) {
        if (e.signature() == null) {
            throw DiscoveryException.notSigned();
        }
        try {
            Signatures.verify(e.staticKey(), HexFormat.of().parseHex(e.signature()), signedBytes);
        } catch (SignatureException ex) {
            throw DiscoveryException.badSignature(e.staticKey().hex(), ex.getMessage());
        } catch (IllegalArgumentException ex) {
            throw DiscoveryException.badSignature(e.staticKey().hex(), ex.getMessage()); // e.g. a key off the curve
        }
    }
}
