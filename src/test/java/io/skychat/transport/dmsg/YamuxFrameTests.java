package io.skychat.transport.dmsg;

import static io.skychat.transport.dmsg.WireVectorFiles.bytes;
import static io.skychat.transport.dmsg.WireVectorFiles.hex;
import static io.skychat.transport.dmsg.WireVectorFiles.text;
import static io.skychat.transport.dmsg.WireVectorFiles.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.transport.dmsg.YamuxException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The 12-byte yamux header and frame bodies, against the capture of upstream's yamux in dmsg_stream.json. */
class YamuxFrameTests {

    static final JsonNode YAMUX = WireVectorFiles.load("yamux.json");
    static final JsonNode CAPTURE = WireVectorFiles.load("dmsg_stream.json").get("yamux_capture");

    /** Every header of the capture decodes to the fields the vector lists, and encodes back to its bytes. */
    @Test
    void capturedHeadersDecodeAndEncodeByteForByte() {
        int seen = 0;
        for (String direction : List.of("client_to_server_frames", "server_to_client_frames")) {
            for (JsonNode f : CAPTURE.get(direction)) {
                byte[] header = bytes(f, "header_hex");
                byte[] body = f.has("body_hex") ? bytes(f, "body_hex") : new byte[0];
                byte[] wire = WireVectorFiles.concat(header, body);

                YamuxFrame.Decoded d = YamuxFrame.decode(wire, 0, wire.length, YamuxConfig.INITIAL_STREAM_WINDOW);

                assertThat(d).isNotNull();
                assertThat(d.consumed()).isEqualTo(wire.length);
                YamuxFrame frame = d.frame();
                assertThat(f.get("version").asInt()).isEqualTo(YamuxFrame.VERSION);
                assertThat(frame.type()).isEqualTo(leadingInt(text(f, "type")));
                assertThat(frame.flags()).isEqualTo(Integer.decode(text(f, "flags").split(" ")[0]));
                assertThat(frame.streamId()).isEqualTo(f.get("stream_id").asLong());
                assertThat(frame.length()).isEqualTo(f.get("length").asLong());
                if (frame instanceof YamuxFrame.Data data) {
                    assertThat(hex(data.body())).isEqualTo(text(f, "body_hex"));
                }
                assertThat(hex(frame.encode())).isEqualTo(hex(wire));
                seen++;
            }
        }
        assertThat(seen).isEqualTo(4);
    }

    /** The whole client byte stream splits into exactly the frames the vector lists. */
    @Test
    void captureStreamSplitsIntoItsFrames() {
        for (String direction : List.of("client_to_server", "server_to_client")) {
            byte[] wire = bytes(CAPTURE, direction + "_hex");
            List<String> headers = new ArrayList<>();
            int at = 0;
            while (at < wire.length) {
                YamuxFrame.Decoded d = YamuxFrame.decode(wire, at, wire.length - at, YamuxConfig.INITIAL_STREAM_WINDOW);
                headers.add(hex(Arrays.copyOfRange(wire, at, at + YamuxFrame.HEADER_LENGTH)));
                at += d.consumed();
            }
            List<String> expected = CAPTURE.get(direction + "_frames").valueStream().map(f -> text(f, "header_hex")).toList();
            assertThat(headers).as(direction).isEqualTo(expected);
        }
    }

    @Test
    void headerLayoutFromTheNotes() {
        // yamux.json header: version | type | flags u16 BE | stream id u32 BE | length u32 BE
        String notes = text(YAMUX, "header");
        assertThat(notes).contains("0 Data, 1 WindowUpdate, 2 Ping, 3 GoAway").contains("1 SYN, 2 ACK, 4 FIN, 8 RST");
        assertThat(hex(new YamuxFrame.WindowUpdate(YamuxFrame.SYN | YamuxFrame.FIN, 0x01020304L, 0xfffffffeL).encode()))
                .isEqualTo("00010005" + "01020304" + "fffffffe");
        assertThat(hex(new YamuxFrame.Ping(YamuxFrame.ACK, 7).encode())).isEqualTo("000200020000000000000007");
        assertThat(hex(new YamuxFrame.GoAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR).encode())).isEqualTo("000300000000000000000001");
    }

    @Test
    void anIncompleteFrameWaits() {
        byte[] wire = bytes(CAPTURE, "client_to_server_hex");
        for (int n : new int[] {0, 1, 11}) {
            assertThat(YamuxFrame.decode(wire, 0, n, YamuxConfig.INITIAL_STREAM_WINDOW)).as("%d bytes", n).isNull();
        }
        // second frame: header complete, body one byte short
        int dataFrameEnd = wire.length - 12;
        assertThat(YamuxFrame.decode(wire, 12, dataFrameEnd - 1, YamuxConfig.INITIAL_STREAM_WINDOW)).isNull();
        assertThat(YamuxFrame.decode(wire, 12, dataFrameEnd, YamuxConfig.INITIAL_STREAM_WINDOW)).isNotNull();
    }

    @Test
    void aBadVersionIsRefused() {
        byte[] wire = bytes(CAPTURE, "client_to_server_hex");
        wire[0] = 1;
        assertThatThrownBy(() -> YamuxFrame.decode(wire, 0, wire.length, YamuxConfig.INITIAL_STREAM_WINDOW))
                .isInstanceOfSatisfying(YamuxException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BAD_VERSION);
                    assertThat(e.goAway()).isNull(); // upstream just drops the connection
                    assertThat(e.getMessage()).contains("version 1");
                });
    }

    @Test
    void anUnknownTypeIsRefused() {
        byte[] wire = unhex("000400000000000000000000");
        assertThatThrownBy(() -> YamuxFrame.decode(wire, 0, wire.length, YamuxConfig.INITIAL_STREAM_WINDOW))
                .isInstanceOfSatisfying(YamuxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE));
    }

    /** A Data frame larger than the whole window is refused from its header, before any body is buffered. */
    @Test
    void anOversizedDataFrameIsRefusedFromItsHeader() {
        long window = windowFromVectorConfig();
        byte[] header = new YamuxFrame.WindowUpdate(0, 1, window + 1).encode();
        header[1] = YamuxFrame.TYPE_DATA;
        assertThatThrownBy(() -> YamuxFrame.decode(header, 0, header.length, window))
                .isInstanceOfSatisfying(YamuxException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.FRAME_TOO_LARGE);
                    assertThat(hex(e.goAway())).isEqualTo("000300000000000000000001");
                });
        byte[] atLimit = new YamuxFrame.WindowUpdate(0, 1, window).encode();
        atLimit[1] = YamuxFrame.TYPE_DATA;
        assertThat(YamuxFrame.decode(atLimit, 0, atLimit.length, window)).isNull(); // legal: waits for its body
    }

    /** yamux.json's config line: the window dmsg runs with. */
    static long windowFromVectorConfig() {
        return configValue("MaxStreamWindowSize");
    }

    static long configValue(String name) {
        Matcher m = Pattern.compile(name + "=(\\d+)").matcher(text(YAMUX, "config"));
        if (!m.find()) {
            throw new IllegalStateException(name + " not in yamux.json config");
        }
        return Long.parseLong(m.group(1));
    }

    private static int leadingInt(String s) {
        return Integer.parseInt(s.split(" ")[0]);
    }
}
