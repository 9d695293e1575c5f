package io.skychat.feed;

import static io.skychat.feed.FeedVectors.bytes;
import static io.skychat.feed.FeedVectors.field;
import static io.skychat.feed.FeedVectors.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Why a received Root is refused: each case is its own error type, so a node can log and count it. */
class SignedRootTests {

    static final JsonNode V = TreeStoreVectorTests.V;
    static final JsonNode P0 = TreeStoreVectorTests.PUBLISHES.get(0);
    static final JsonNode P1 = TreeStoreVectorTests.PUBLISHES.get(1);
    static final PeerKey FEED = key(field(V, "feed_key"), "pk");
    static final PeerKey PEER = key(field(FeedVectors.load("cxo_messages.json").get("keys"), "peer"), "pk");

    static void refused(ThrowingCallable call, String type) {
        assertThatThrownBy(call).isInstanceOf(FeedException.class)
                .extracting(e -> ((FeedException) e).type()).isEqualTo(type);
    }

    @Test
    void aFlippedSignatureBitIsABadSignature() {
        byte[] sig = bytes(P0, "root_sig");
        sig[10] ^= 1;
        refused(() -> SignedRoot.received(FEED, bytes(P0, "root_encode"), sig), "feed-bad-signature");
    }

    @Test
    void aChangedRootByteIsABadSignature() {
        byte[] value = bytes(P0, "root_encode");
        value[value.length - 40] ^= 1; // inside Time
        refused(() -> SignedRoot.received(FEED, value, bytes(P0, "root_sig")), "feed-bad-signature");
    }

    @Test
    void aShortSignatureIsABadSignature() {
        refused(() -> SignedRoot.received(FEED, bytes(P0, "root_encode"), new byte[64]), "feed-bad-signature");
    }

    @Test
    void aRootOfAnotherFeedIsRefusedEvenWhenItsOwnSignatureIsFine() {
        refused(() -> SignedRoot.received(PEER, bytes(P0, "root_encode"), bytes(P0, "root_sig")), "feed-wrong-feed");
    }

    @Test
    void aRootSignedByAnotherKeyIsABadSignature() {
        KeyPair stranger = KeyPair.deterministic("someone else".getBytes(StandardCharsets.UTF_8));
        Root root = Root.decode(bytes(P0, "root_encode"));
        byte[] sig = io.skychat.crypto.Signatures.signHash(root.hash().bytes(), stranger.secret());
        refused(() -> SignedRoot.received(FEED, root.encode(), sig), "feed-bad-signature");
    }

    @Test
    void seqMustIncrease() {
        SignedRoot first = SignedRoot.received(FEED, bytes(P0, "root_encode"), bytes(P0, "root_sig"));
        SignedRoot second = SignedRoot.received(FEED, bytes(P1, "root_encode"), bytes(P1, "root_sig"));
        second.checkFollows(first);
        refused(() -> first.checkFollows(second), "feed-stale-root");
        refused(() -> second.checkFollows(second), "feed-stale-root");
    }

    @Test
    void theNextRootMustPointAtTheLastOne() {
        KeyPair feed = TreeStoreVectorTests.feed();
        SignedRoot first = SignedRoot.received(FEED, bytes(P0, "root_encode"), bytes(P0, "root_sig"));
        Root genuine = Root.decode(bytes(P1, "root_encode"));
        Root forked = new Root(genuine.refs(), new byte[0], genuine.reg(), genuine.pub(), genuine.nonce(), 1,
                genuine.time(), Hash.of(new byte[] {1}));
        SignedRoot fork = SignedRoot.sign(forked, feed);
        refused(() -> fork.checkFollows(first), "feed-prev-mismatch");

        // after a gap (old Roots are pruned upstream) Prev cannot be checked, and is not
        Root later = new Root(genuine.refs(), new byte[0], genuine.reg(), genuine.pub(), genuine.nonce(), 5,
                genuine.time(), Hash.of(new byte[] {1}));
        SignedRoot.sign(later, feed).checkFollows(first);
    }

    @Test
    void onlyTheFeedKeySignsItsRoots() {
        Root root = Root.decode(bytes(P0, "root_encode"));
        KeyPair stranger = KeyPair.deterministic("someone else".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SignedRoot.sign(root, stranger)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trailingBytesAfterARootAreRefused() {
        byte[] value = bytes(P0, "root_encode");
        byte[] longer = java.util.Arrays.copyOf(value, value.length + 1);
        refused(() -> Root.decode(longer), "feed-malformed");
        assertThat(Root.decode(value).encode()).isEqualTo(value);
        assertThat(List.of(Root.decode(value).refs().get(0).schema())).containsExactly(TreeSchemas.NODE_REF);
    }
}
