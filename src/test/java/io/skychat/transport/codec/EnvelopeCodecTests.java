package io.skychat.transport.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeCodecTests {

    private static final MessageId ID = new MessageId("8077ca12ee05c806");

    private static String encode(Envelope e) {
        return new String(EnvelopeCodec.encode(e), StandardCharsets.UTF_8);
    }

    private static Envelope decode(String s) {
        return EnvelopeCodec.decode(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesUpstreamShapes() {
        assertThat(encode(new Envelope.ChatMsg(ID, "hello", true, null)))
                .isEqualTo("{\"type\":\"chat-msg\",\"id\":\"8077ca12ee05c806\",\"body\":\"hello\",\"ack\":true}");
        assertThat(encode(new Envelope.ChatMsg(ID, "re", false, new MessageId("0000000000000001"))))
                .isEqualTo("{\"type\":\"chat-msg\",\"id\":\"8077ca12ee05c806\",\"body\":\"re\",\"reply_to\":\"0000000000000001\"}");
        assertThat(encode(new Envelope.ChatAck(ID))).isEqualTo("{\"type\":\"chat-ack\",\"id\":\"8077ca12ee05c806\"}");
        assertThat(encode(new Envelope.ChatRead(ID))).isEqualTo("{\"type\":\"chat-read\",\"id\":\"8077ca12ee05c806\"}");
        assertThat(encode(new Envelope.ChatDelete(ID))).isEqualTo("{\"type\":\"chat-delete\",\"id\":\"8077ca12ee05c806\"}");
        assertThat(encode(Envelope.PairControl.INVITE)).isEqualTo("{\"type\":\"pair-invite\"}");
        assertThat(encode(new Envelope.PlainText("just text"))).isEqualTo("just text");
    }

    @Test
    void decodesWhatUpstreamSends() {
        assertThat(decode("{\"type\":\"chat-msg\",\"id\":\"8077ca12ee05c806\",\"body\":\"hello\",\"ack\":true}"))
                .isEqualTo(new Envelope.ChatMsg(ID, "hello", true, null));
        assertThat(decode("  {\"type\":\"chat-ack\",\"id\":\"8077ca12ee05c806\"}\n")).isEqualTo(new Envelope.ChatAck(ID));
        assertThat(decode("{\"type\":\"chat-read\",\"id\":\"8077ca12ee05c806\"}")).isEqualTo(new Envelope.ChatRead(ID));
        assertThat(decode("{\"type\":\"pair-decline\"}")).isEqualTo(Envelope.PairControl.DECLINE);
    }

    @Test
    void roundTripsEveryEnvelope() {
        for (Envelope e : new Envelope[] {new Envelope.ChatMsg(ID, "ünïcode ✓ \"quoted\"\n", true, ID),
                new Envelope.ChatAck(ID), new Envelope.ChatRead(ID), new Envelope.ChatDelete(ID),
                Envelope.PairControl.ACK, new Envelope.PlainText("hello")}) {
            assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(e))).isEqualTo(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "{not json", "{\"type\":\"chat-party\",\"id\":\"8077ca12ee05c806\"}", "{\"type\":42}",
            "{\"id\":\"8077ca12ee05c806\"}", "[1,2,3]", "hello {\"type\":\"chat-ack\"}", "{\"type\":\"chat-ack\",\"id\":\"short\"}"})
    void anythingElseIsPlainText(String payload) {
        assertThat(decode(payload)).isEqualTo(new Envelope.PlainText(payload));
    }

    @Test
    void chatMsgWithoutUsableIdStillShowsItsBody() {
        assertThat(decode("{\"type\":\"chat-msg\",\"id\":\"\",\"body\":\"hi\"}")).isEqualTo(new Envelope.PlainText("hi"));
    }

    @Test
    void invalidUtf8BecomesReplacementCharactersNotAnError() {
        Envelope e = EnvelopeCodec.decode(new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
        assertThat(e).isInstanceOf(Envelope.PlainText.class);
        assertThat(((Envelope.PlainText) e).text()).endsWith("a");
    }
}
