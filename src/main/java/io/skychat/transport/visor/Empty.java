package io.skychat.transport.visor;

/** Go's {@code struct{}}: the reply of calls that only succeed or fail, and the body of every error reply. */
public record Empty() {

    public static final Empty INSTANCE = new Empty();
}
