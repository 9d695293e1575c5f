package io.skychat.transport.dmsg;

import static io.skychat.transport.dmsg.WireVectorFiles.bytes;
import static io.skychat.transport.dmsg.WireVectorFiles.concat;
import static io.skychat.transport.dmsg.WireVectorFiles.hex;
import static io.skychat.transport.dmsg.WireVectorFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.transport.dmsg.YamuxAction.DataReceived;
import io.skychat.transport.dmsg.YamuxAction.Write;
import io.skychat.transport.dmsg.YamuxException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The session state machine: the capture of upstream's stream open, then each part of the protocol on its own. */
class YamuxSessionTests {

    static final JsonNode CAPTURE = WireVectorFiles.load("dmsg_stream.json").get("yamux_capture");
    static final JsonNode FRAMES = WireVectorFiles.load("dmsg_stream.json").get("session_frames");
    static final long WINDOW = YamuxFrameTests.windowFromVectorConfig();
    static final byte[] PROTOCOL_ERROR_GO_AWAY = new YamuxFrame.GoAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR).encode();

    final YamuxSession client = YamuxSession.client(YamuxConfig.DMSG);
    final YamuxSession server = YamuxSession.server(YamuxConfig.DMSG);

    @Test
    void theConfigIsUpstreamsDefault() {
        assertThat(YamuxConfig.DMSG.maxStreamWindow()).isEqualTo(WINDOW).isEqualTo(YamuxConfig.INITIAL_STREAM_WINDOW);
        assertThat(YamuxConfig.DMSG.acceptBacklog()).isEqualTo(YamuxFrameTests.configValue("AcceptBacklog"));
        String config = text(YamuxFrameTests.YAMUX, "config");
        assertThat(config).contains("KeepAliveInterval=" + YamuxConfig.DMSG.keepAliveInterval().toSeconds() + "s")
                .contains("ConnectionWriteTimeout=" + YamuxConfig.DMSG.connectionWriteTimeout().toSeconds() + "s")
                .contains("StreamOpenTimeout=" + YamuxConfig.DMSG.streamOpenTimeout().toSeconds() + "s")
                .contains("StreamCloseTimeout=" + YamuxConfig.DMSG.streamCloseTimeout().toMinutes() + "m");
    }

    /** Client OpenStream + write of the request frame, server AcceptStream + write of the response: upstream's bytes. */
    @Test
    void reproducesTheCapturedStreamOpenByteForByte() {
        byte[] request = bytes(FRAMES, "request_frame_hex");
        byte[] response = bytes(FRAMES, "response_frame_hex");

        YamuxSession.Opened opened = client.open();
        YamuxSession.Written sent = client.write(opened.streamId(), request, 0, request.length);
        assertThat(sent.taken()).isEqualTo(request.length);
        byte[] clientWire = concat(opened.bytes(), sent.bytes());
        assertThat(hex(clientWire)).isEqualTo(text(CAPTURE, "client_to_server_hex"));

        List<YamuxAction> atServer = server.receive(clientWire);
        assertThat(atServer).containsExactly(new YamuxAction.Incoming(1), new DataReceived(1, request));

        byte[] ack = server.accept(1);
        YamuxSession.Written answer = server.write(1, response, 0, response.length);
        byte[] serverWire = concat(ack, answer.bytes());
        assertThat(hex(serverWire)).isEqualTo(text(CAPTURE, "server_to_client_hex"));

        assertThat(client.receive(serverWire)).containsExactly(new YamuxAction.Established(1), new DataReceived(1, response));
    }

    /** TCP may split the bytes anywhere; one byte at a time gives the same actions. */
    @Test
    void bytesMayArriveInAnySplit() {
        byte[] wire = bytes(CAPTURE, "client_to_server_hex");
        List<YamuxAction> actions = new ArrayList<>();
        for (int i = 0; i < wire.length; i++) {
            actions.addAll(server.receive(wire, i, 1));
        }
        assertThat(actions).containsExactly(new YamuxAction.Incoming(1),
                new DataReceived(1, bytes(FRAMES, "request_frame_hex")));
    }

    /** A whole-window frame trickling in a byte at a time is one delivery (and linear work, or this would not finish). */
    @Test
    void aFullWindowFrameMayTrickleIn() {
        long id = establish();
        byte[] body = new byte[(int) WINDOW];
        new java.util.Random(7).nextBytes(body);
        byte[] wire = new YamuxFrame.Data(0, id, body).encode();
        List<YamuxAction> actions = new ArrayList<>();
        for (int i = 0; i < wire.length; i++) {
            actions.addAll(server.receive(wire, i, 1));
        }
        assertThat(actions).containsExactly(new DataReceived(id, body));
    }

    @Test
    void clientsOpenOddIdsAndServersEvenOnes() {
        assertThat(List.of(client.open().streamId(), client.open().streamId(), client.open().streamId())).containsExactly(1L, 3L, 5L);
        assertThat(List.of(server.open().streamId(), server.open().streamId())).containsExactly(2L, 4L);
    }

    @Test
    void theServerOpensStreamsTowardsTheClient() {
        YamuxSession.Opened opened = server.open();
        assertThat(client.receive(opened.bytes())).containsExactly(new YamuxAction.Incoming(opened.streamId()));
        assertThat(server.receive(client.accept(opened.streamId()))).containsExactly(new YamuxAction.Established(opened.streamId()));
    }

    @Test
    void aPeerUsingOurParityIsRefused() {
        byte[] oddSyn = new YamuxFrame.WindowUpdate(YamuxFrame.SYN, 1, 0).encode();
        expectProtocolError(() -> client.receive(oddSyn), Reason.BAD_STREAM_ID);
        byte[] evenSyn = new YamuxFrame.WindowUpdate(YamuxFrame.SYN, 2, 0).encode();
        expectProtocolError(() -> server.receive(evenSyn), Reason.BAD_STREAM_ID);
    }

    @Test
    void aDuplicateOpenIsAProtocolError() {
        byte[] syn = client.open().bytes();
        server.receive(syn);
        expectProtocolError(() -> server.receive(syn), Reason.DUPLICATE_STREAM);
        assertThatThrownBy(server::open).isInstanceOfSatisfying(YamuxException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SESSION_CLOSED));
    }

    /** The send window is the whole of 256 KiB; writes stop there until the reader grants more. */
    @Test
    void writesStopAtTheWindowAndResumeWhenTheReaderConsumes() {
        long id = establish();
        byte[] big = new byte[(int) WINDOW + 100];
        YamuxSession.Written first = client.write(id, big, 0, big.length);
        assertThat(first.taken()).isEqualTo((int) WINDOW);
        assertThat(client.sendWindow(id)).isZero();
        assertThat(client.write(id, big, first.taken(), 100).taken()).isZero();

        List<YamuxAction> got = server.receive(first.bytes());
        assertThat(got).hasSize(1).first().isInstanceOf(DataReceived.class);
        assertThat(server.receiveWindow(id)).isZero();

        // less than half the window back: upstream stays quiet
        assertThat(server.consumed(id, WINDOW / 2 - 1)).isEmpty();
        byte[] update = server.consumed(id, 1);
        assertThat(hex(update)).isEqualTo(hex(new YamuxFrame.WindowUpdate(0, id, WINDOW / 2).encode()));
        assertThat(server.receiveWindow(id)).isEqualTo(WINDOW / 2);

        assertThat(client.receive(update)).containsExactly(new YamuxAction.SendWindow(id, WINDOW / 2));
        assertThat(client.write(id, big, first.taken(), 100).taken()).isEqualTo(100);
    }

    @Test
    void anEmptyWriteSendsNothing() {
        long id = establish();
        assertThat(client.write(id, new byte[0], 0, 0).bytes()).isEmpty();
    }

    @Test
    void decodedFramesCanBeHandedInDirectly() {
        JsonNode first = CAPTURE.get("client_to_server_frames").get(0);
        byte[] syn = bytes(first, "header_hex");
        YamuxFrame frame = YamuxFrame.decode(syn, 0, syn.length, WINDOW).frame();
        assertThat(server.handle(frame)).containsExactly(new YamuxAction.Incoming(first.get("stream_id").asLong()));
        expectProtocolError(() -> server.handle(new YamuxFrame.Data(0, 1, new byte[(int) WINDOW + 1])), Reason.FRAME_TOO_LARGE);
    }

    @Test
    void theApplicationCannotConsumeMoreThanItWasGiven() {
        long id = establish();
        server.receive(new YamuxFrame.Data(0, id, new byte[3]).encode());
        assertThatThrownBy(() -> server.consumed(id, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.consumed(id, 3)).isEmpty();
    }

    @Test
    void dataBeyondTheReceiveWindowIsAProtocolError() {
        long id = establish();
        byte[] full = new byte[(int) WINDOW];
        server.receive(new YamuxFrame.Data(0, id, full).encode());
        expectProtocolError(() -> server.receive(new YamuxFrame.Data(0, id, new byte[1]).encode()),
                Reason.RECEIVE_WINDOW_EXCEEDED);
    }

    @Test
    void aWindowUpdatePastFourGigabytesIsAProtocolError() {
        long id = establish();
        client.receive(new YamuxFrame.WindowUpdate(0, id, YamuxFrame.MAX_U32 - WINDOW).encode()); // exactly at the limit
        assertThat(client.sendWindow(id)).isEqualTo(YamuxFrame.MAX_U32);
        expectProtocolError(() -> client.receive(new YamuxFrame.WindowUpdate(0, id, 1).encode()), Reason.SEND_WINDOW_OVERFLOW);
    }

    @Test
    void finFromBothSidesClosesTheStream() {
        long id = establish();
        byte[] clientFin = client.close(id);
        assertThat(hex(clientFin)).isEqualTo(hex(new YamuxFrame.WindowUpdate(YamuxFrame.FIN, id, 0).encode()));
        assertThat(client.close(id)).as("a second close sends nothing").isEmpty();
        expectLocal(() -> client.write(id, new byte[1], 0, 1), Reason.STREAM_CLOSED);

        assertThat(server.receive(clientFin)).containsExactly(new YamuxAction.RemoteClosed(id));
        // half-closed: the server may still write
        YamuxSession.Written reply = server.write(id, new byte[] {42}, 0, 1);
        assertThat(client.receive(reply.bytes())).containsExactly(new DataReceived(id, new byte[] {42}));

        byte[] serverFin = server.close(id);
        assertThat(server.isOpen(id)).isFalse();
        assertThat(client.receive(serverFin)).containsExactly(new YamuxAction.Closed(id));
        assertThat(client.isOpen(id)).isFalse();
    }

    @Test
    void finOnDataIsDeliveredBeforeTheClose() {
        long id = establish();
        byte[] dataFin = new YamuxFrame.Data(YamuxFrame.FIN, id, new byte[] {1, 2}).encode();
        assertThat(server.receive(dataFin)).containsExactly(new DataReceived(id, new byte[] {1, 2}), new YamuxAction.RemoteClosed(id));
    }

    @Test
    void aSecondFinFromThePeerIsAProtocolError() {
        long id = establish();
        byte[] fin = new YamuxFrame.WindowUpdate(YamuxFrame.FIN, id, 0).encode();
        server.receive(fin);
        expectProtocolError(() -> server.receive(fin), Reason.UNEXPECTED_FLAG);
    }

    @Test
    void resetDropsTheStreamAndLateDataIsDiscarded() {
        long id = establish();
        byte[] rst = client.reset(id);
        assertThat(hex(rst)).isEqualTo(hex(new YamuxFrame.WindowUpdate(YamuxFrame.RST, id, 0).encode()));
        assertThat(server.receive(rst)).containsExactly(new YamuxAction.Reset(id));
        assertThat(server.isOpen(id)).isFalse();

        byte[] late = new YamuxFrame.Data(0, id, new byte[5]).encode();
        assertThat(server.receive(late)).containsExactly(new YamuxAction.Discarded(id, YamuxFrame.TYPE_DATA, 5));
        assertThat(client.receive(new YamuxFrame.WindowUpdate(0, id, 9).encode()))
                .containsExactly(new YamuxAction.Discarded(id, YamuxFrame.TYPE_WINDOW_UPDATE, 0));
    }

    /** Data for a stream that was never opened is dropped, as upstream does, and the session goes on. */
    @Test
    void dataOnAnUnknownStreamIsDiscarded() {
        byte[] stray = new YamuxFrame.Data(0, 7, new byte[3]).encode();
        assertThat(server.receive(stray)).containsExactly(new YamuxAction.Discarded(7, YamuxFrame.TYPE_DATA, 3));
        assertThat(server.isClosed()).isFalse();
    }

    @Test
    void pingsAreEchoedAndPongsMatched() {
        YamuxSession.PingSent ping = client.ping();
        assertThat(hex(ping.bytes())).isEqualTo(hex(new YamuxFrame.Ping(YamuxFrame.SYN, 0).encode()));
        List<YamuxAction> atServer = server.receive(ping.bytes());
        assertThat(atServer).containsExactly(new Write(new YamuxFrame.Ping(YamuxFrame.ACK, ping.opaque()).encode()));
        assertThat(client.receive(((Write) atServer.get(0)).bytes())).containsExactly(new YamuxAction.Pong(ping.opaque()));
        assertThat(client.receive(new YamuxFrame.Ping(YamuxFrame.ACK, ping.opaque()).encode())).as("answered once").isEmpty();
        assertThat(client.ping().opaque()).isEqualTo(ping.opaque() + 1);
    }

    @Test
    void aNormalGoAwayStopsNewStreamsOnly() {
        long id = establish();
        byte[] goAway = server.goAway();
        assertThat(hex(goAway)).isEqualTo("000300000000000000000000");
        assertThat(client.receive(goAway)).containsExactly(new YamuxAction.RemoteGoAway());
        expectLocal(client::open, Reason.REMOTE_GO_AWAY);
        assertThat(client.write(id, new byte[1], 0, 1).taken()).isEqualTo(1);
    }

    @Test
    void afterOurGoAwayNewStreamsAreReset() {
        server.goAway();
        byte[] syn = client.open().bytes();
        assertThat(server.receive(syn)).containsExactly(new Write(new YamuxFrame.WindowUpdate(YamuxFrame.RST, 1, 0).encode()));
        assertThat(server.streamCount()).isZero();
    }

    @Test
    void aGoAwayWithAnErrorEndsTheSession() {
        for (long code : new long[] {YamuxFrame.GO_AWAY_PROTOCOL_ERROR, YamuxFrame.GO_AWAY_INTERNAL_ERROR, 9}) {
            YamuxSession s = YamuxSession.client(YamuxConfig.DMSG);
            Reason expected = code == 1 ? Reason.REMOTE_PROTOCOL_ERROR : code == 2 ? Reason.REMOTE_INTERNAL_ERROR : Reason.UNEXPECTED_GO_AWAY;
            assertThatThrownBy(() -> s.receive(new YamuxFrame.GoAway(code).encode()))
                    .isInstanceOfSatisfying(YamuxException.class, e -> {
                        assertThat(e.reason()).isEqualTo(expected);
                        assertThat(e.goAway()).isNull();
                    });
            assertThat(s.isClosed()).isTrue();
        }
    }

    @Test
    void beyondTheAcceptBacklogStreamsAreReset() {
        YamuxSession small = YamuxSession.server(new YamuxConfig(2, WINDOW, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(75), Duration.ofMinutes(5)));
        small.receive(client.open().bytes());
        small.receive(client.open().bytes());
        assertThat(small.receive(client.open().bytes()))
                .containsExactly(new Write(new YamuxFrame.WindowUpdate(YamuxFrame.RST, 5, 0).encode()));
        small.accept(1);
        assertThat(small.receive(client.open().bytes())).containsExactly(new YamuxAction.Incoming(7));
    }

    @Test
    void acceptingAStreamTwiceIsRefused() {
        server.receive(client.open().bytes());
        server.accept(1);
        expectLocal(() -> server.accept(1), Reason.UNKNOWN_STREAM);
    }

    @Test
    void garbageEndsTheSessionWithTheDecodersReason() {
        assertThatThrownBy(() -> server.receive("GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(YamuxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_VERSION));
        expectLocal(() -> server.receive(new byte[12]), Reason.SESSION_CLOSED);
    }

    /** Opens stream 1 from the client and has the server accept it. */
    private long establish() {
        YamuxSession.Opened opened = client.open();
        server.receive(opened.bytes());
        client.receive(server.accept(opened.streamId()));
        return opened.streamId();
    }

    private static void expectProtocolError(ThrowingCallable call, Reason reason) {
        expect(call, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.goAway()).as("upstream answers with GoAway(protocol error)").isEqualTo(PROTOCOL_ERROR_GO_AWAY);
            assertThat(e.type()).isEqualTo("protocol-error");
        });
    }

    private static void expectLocal(ThrowingCallable call, Reason reason) {
        expect(call, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static void expect(ThrowingCallable call, Consumer<YamuxException> check) {
        assertThatThrownBy(call).isInstanceOfSatisfying(YamuxException.class, check::accept);
    }
}
