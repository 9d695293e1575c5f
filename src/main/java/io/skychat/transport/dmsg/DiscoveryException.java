package io.skychat.transport.dmsg;

import io.skychat.core.SkychatException;

/** A discovery entry or response we refuse to use; {@link #reason()} says which check failed. */
public final class DiscoveryException extends SkychatException {

    public enum Reason { MALFORMED, NOT_SIGNED, BAD_SIGNATURE, WRONG_KEY, NOT_A_SERVER }

    private final Reason reason;

    private DiscoveryException(Reason reason, String message) {
        super("discovery-entry-rejected", "dmsg discovery: " + message, null);
        this.reason = reason;
    }

    static DiscoveryException malformed(String why) {
        return new DiscoveryException(Reason.MALFORMED, "malformed entry: " + why);
    }

    static DiscoveryException notSigned() {
        return new DiscoveryException(Reason.NOT_SIGNED, "entry has no signature");
    }

    static DiscoveryException badSignature(String staticKey, String why) {
        return new DiscoveryException(Reason.BAD_SIGNATURE, "entry of " + staticKey + " has an invalid signature: " + why);
    }

    static DiscoveryException wrongKey(String expected, String actual) {
        return new DiscoveryException(Reason.WRONG_KEY, "asked for the entry of " + expected + ", got the entry of " + actual);
    }

    static DiscoveryException notAServer(String staticKey) {
        return new DiscoveryException(Reason.NOT_A_SERVER, "entry of " + staticKey + " in a server list has no server part");
    }

    public Reason reason() {
        return reason;
    }
}
