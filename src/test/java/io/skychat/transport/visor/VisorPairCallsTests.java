package io.skychat.transport.visor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import io.skychat.transport.gob.GobException;
import org.junit.jupiter.api.Test;

/** The pair calls of the visor RPC through the real gob net/rpc codec, both directions, as a visor and an app see them. */
class VisorPairCallsTests {

    private static final PeerKey BOB = KeyPair.fromSecretHex(Keys.BOB_SK).publicKey();
    private static final Instant T = Instant.parse("2026-12-01T16:30:00.123456789Z");

    private final RpcEncoder app = new RpcEncoder();
    private final RpcDecoder visorIn = new RpcDecoder();
    private final RpcEncoder visorOut = new RpcEncoder();
    private final RpcDecoder appIn = new RpcDecoder();

    private <A> A sent(AppCall<A, ?> call, A args) {
        RpcRequest r = visorIn.nextRequest(ByteBuffer.wrap(app.call(AppCall.VISOR_SERVICE, call, 7, args))).orElseThrow();
        assertThat(r.serviceMethod()).isEqualTo("app-visor." + call.method());
        return call.decodeArgs(r.args());
    }

    private <R> R answered(AppCall<?, R> call, R reply) {
        return appIn.nextResponse(ByteBuffer.wrap(visorOut.reply("app-visor." + call.method(), 7, call, reply)))
                .orElseThrow().replyOf(call);
    }

    @Test
    void argumentsReachTheVisorAsSent() {
        assertThat(sent(VisorPairCalls.PAIR_ADD, BOB)).isEqualTo(BOB);
        assertThat(sent(VisorPairCalls.PAIR_MARK_ACTIVE, BOB)).isEqualTo(BOB);
        assertThat(sent(VisorPairCalls.PAIR_REMOVE, BOB)).isEqualTo(BOB);
        assertThat(sent(VisorPairCalls.PAIR_SEND, new VisorPairCalls.Send(BOB, "hé ✓"))).isEqualTo(new VisorPairCalls.Send(BOB, "hé ✓"));
        assertThat(sent(VisorPairCalls.PAIR_SEND, new VisorPairCalls.Send(BOB, ""))).isEqualTo(new VisorPairCalls.Send(BOB, ""));
        assertThat(sent(VisorPairCalls.PAIR_POLL, Optional.of(T))).contains(T);
        // Go's zero time (poll everything) is what gob leaves out
        assertThat(sent(VisorPairCalls.PAIR_POLL, Optional.empty())).isEmpty();
    }

    @Test
    void repliesReachTheAppAsAnswered() {
        List<VisorPairCalls.Info> pairs = List.of(
                new VisorPairCalls.Info(BOB, "active", 23456, Optional.of(T), Optional.of(T.plusSeconds(5))),
                new VisorPairCalls.Info(BOB, "pending", 10000, Optional.of(T), Optional.empty()));
        assertThat(answered(VisorPairCalls.PAIR_LIST, pairs)).isEqualTo(pairs);
        assertThat(answered(VisorPairCalls.PAIR_LIST, List.of())).isEmpty();
        List<VisorPairCalls.Message> inbox = List.of(new VisorPairCalls.Message(BOB, "one", T),
                new VisorPairCalls.Message(BOB, "two", T.plusNanos(1)));
        assertThat(answered(VisorPairCalls.PAIR_POLL, inbox)).isEqualTo(inbox);
    }

    @Test
    void aReplyOfTheWrongShapeIsRefusedByName() {
        byte[] wrong = visorOut.reply("app-visor.PairList", 7, AppCall.SET_DETAILED_STATUS, Empty.INSTANCE);
        RpcResponse r = appIn.nextResponse(ByteBuffer.wrap(wrong)).orElseThrow();
        assertThatThrownBy(() -> r.replyOf(VisorPairCalls.PAIR_LIST)).isInstanceOf(GobException.class)
                .hasMessageContaining("PairList reply must be a slice");
    }

    @Test
    void aMessageIdIsStableAndTellsTextsApart() {
        var m = new VisorPairCalls.Message(BOB, "same", T);
        assertThat(VisorPairFeeds.idOf(m)).isEqualTo(VisorPairFeeds.idOf(new VisorPairCalls.Message(BOB, "same", T)))
                .startsWith("1796142600123456789-v")
                .isNotEqualTo(VisorPairFeeds.idOf(new VisorPairCalls.Message(BOB, "other", T)));
    }
}
