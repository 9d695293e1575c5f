package io.skychat.transport.dmsg;

import java.util.Optional;

/** The codes a dmsg StreamResponse carries when a stream is refused; texts are upstream's, so logs match. */
public enum StreamErrorCode {
    REQ_INVALID_SIG(300, "request has invalid signature"),
    REQ_INVALID_TIMESTAMP(301, "request timestamp should be higher than last"),
    REQ_INVALID_SRC_PK(302, "request has invalid source public key"),
    REQ_INVALID_DST_PK(303, "request has invalid destination public key"),
    REQ_INVALID_SRC_PORT(304, "request has invalid source port"),
    REQ_INVALID_DST_PORT(305, "request has invalid destination port"),
    REQ_NO_LISTENER(306, "request has no associated listener"),
    REQ_NO_NEXT_SESSION(307, "request cannot be forwarded because the next session is non-existent"),
    RESP_INVALID_SIG(350, "response has invalid signature"),
    RESP_INVALID_HASH(351, "response has invalid hash of associated request"),
    RESP_NOT_ACCEPTED(352, "response rejected associated request without reason"),
    SIGNED_OBJECT_INVALID(370, "signed object is invalid");

    private final int code;
    private final String text;

    StreamErrorCode(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    public static Optional<StreamErrorCode> of(int code) {
        for (StreamErrorCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
