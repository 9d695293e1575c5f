package io.skychat.core;

/**
 * The one exception root of the service. {@link #type()} is a stable short name; the HTTP layer turns it
 * into a problem type URI ({@code urn:skychat:<type>}) and the CLI into an exit code.
 */
public class SkychatException extends RuntimeException {

    private final String type;

    protected SkychatException(String type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public static SkychatException badRequest(String message) {
        return new SkychatException("bad-request", message, null);
    }

    public static SkychatException invalidRecipient(String message) {
        return new SkychatException("invalid-recipient", message, null);
    }

    public static SkychatException messageTooLarge(int size, int max) {
        return new SkychatException("message-too-large",
                "message is " + size + " bytes; the limit is " + max, null);
    }

    public static SkychatException messageTooLarge(int size, int max, String why) {
        return new SkychatException("message-too-large",
                "message is " + size + " bytes; the limit is " + max + " (" + why + ")", null);
    }

    public static SkychatException persistenceOff() {
        return new SkychatException("persistence-off", "history is off on this node (started with --no-persist)", null);
    }

    public String type() {
        return type;
    }
}
