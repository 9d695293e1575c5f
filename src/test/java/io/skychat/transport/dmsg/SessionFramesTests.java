package io.skychat.transport.dmsg;

import static io.skychat.transport.dmsg.WireVectorFiles.bytes;
import static io.skychat.transport.dmsg.WireVectorFiles.concat;
import static io.skychat.transport.dmsg.WireVectorFiles.hex;
import static io.skychat.transport.dmsg.WireVectorFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.crypto.NoiseException;
import io.skychat.crypto.XkVectorCiphers;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** dmsg_stream.json session_frames: the signed objects sealed with the vector's XK session keys. */
class SessionFramesTests {

    static final JsonNode STREAM = WireVectorFiles.load("dmsg_stream.json");
    static final JsonNode FRAMES = STREAM.get("session_frames");
    static final byte[] REQUEST = bytes(STREAM.get("stream_request"), "sample_signed_object_hex");
    static final byte[] RESPONSE = bytes(STREAM.get("stream_response"), "sample_signed_object_hex");

    /** A's first object on the session (nonce 1, initiator key) and S's first answer (nonce 1, responder key). */
    @Test
    void requestAndResponseFramesAreByteExact() throws NoiseException {
        XkVectorCiphers.Ends session = XkVectorCiphers.session();

        byte[] request = SessionFrames.seal(session.initiator(), REQUEST);
        assertThat(hex(request)).isEqualTo(text(FRAMES, "request_frame_hex"));
        assertThat(((request[0] & 0xff) << 8) | (request[1] & 0xff)).isEqualTo(FRAMES.get("request_frame_len_prefix").asInt());

        byte[] response = SessionFrames.seal(session.responder(), RESPONSE);
        assertThat(hex(response)).isEqualTo(text(FRAMES, "response_frame_hex"));
    }

    @Test
    void theOtherEndOpensThemFromAnySplit() throws NoiseException {
        XkVectorCiphers.Ends session = XkVectorCiphers.session();
        byte[] request = bytes(FRAMES, "request_frame_hex");
        for (int n = 0; n < request.length; n++) {
            assertThat(SessionFrames.open(session.responder(), request, 0, n)).as("%d bytes", n).isNull();
        }
        SessionFrames.Opened opened = SessionFrames.open(session.responder(), concat(request, new byte[3]), 0, request.length + 3);
        assertThat(opened.object()).isEqualTo(REQUEST);
        assertThat(opened.consumed()).isEqualTo(request.length);

        SessionFrames.Opened answer = SessionFrames.open(session.initiator(), bytes(FRAMES, "response_frame_hex"), 0,
                bytes(FRAMES, "response_frame_hex").length);
        assertThat(answer.object()).isEqualTo(RESPONSE);
    }

    /** Upstream opens session objects whatever their nonce: two streams' objects may cross on the wire. */
    @Test
    void objectsOpenInAnyOrderAsUpstreamButAnAlteredFrameIsRefused() throws NoiseException {
        XkVectorCiphers.Ends session = XkVectorCiphers.session();
        byte[] first = SessionFrames.seal(session.initiator(), REQUEST);
        byte[] second = SessionFrames.seal(session.initiator(), RESPONSE);
        assertThat(SessionFrames.open(session.responder(), second, 0, second.length).object()).isEqualTo(RESPONSE);
        assertThat(SessionFrames.open(session.responder(), first, 0, first.length).object()).isEqualTo(REQUEST);

        XkVectorCiphers.Ends fresh = XkVectorCiphers.session();
        byte[] request = bytes(FRAMES, "request_frame_hex");
        byte[] altered = Arrays.copyOf(request, request.length);
        altered[40] ^= 1;
        assertThatThrownBy(() -> SessionFrames.open(fresh.responder(), altered, 0, altered.length))
                .isInstanceOf(SessionFrameException.class).hasMessageContaining("failed authentication");
        byte[] huge = {(byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> SessionFrames.open(fresh.responder(), huge, 0, 2)).isInstanceOf(SessionFrameException.class);
    }

    /** The capture's Data bodies are exactly these frames: the session sends them as yamux stream data. */
    @Test
    void theYamuxCaptureCarriesTheseFrames() {
        JsonNode capture = STREAM.get("yamux_capture");
        assertThat(text(capture.get("client_to_server_frames").get(1), "body_hex")).isEqualTo(text(FRAMES, "request_frame_hex"));
        assertThat(text(capture.get("server_to_client_frames").get(1), "body_hex")).isEqualTo(text(FRAMES, "response_frame_hex"));
    }
}
