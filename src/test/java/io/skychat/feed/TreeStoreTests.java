package io.skychat.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Path rules of the tree store, which the vectors do not cover. */
class TreeStoreTests {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    final TreeStore store = new TreeStore(TreeStoreVectorTests.feed());

    @Test
    void aPathCannotBeALeafAndASubtree() {
        store.put("msgs/1", utf8("a"));
        assertThatThrownBy(() -> store.put("msgs/1/x", utf8("b"))).isInstanceOf(FeedException.class)
                .extracting(e -> ((FeedException) e).type()).isEqualTo("feed-path-conflict");
        assertThatThrownBy(() -> store.put("msgs", utf8("b"))).isInstanceOf(FeedException.class);
        assertThat(store.get("msgs/1")).isEqualTo(utf8("a"));
    }

    @Test
    void emptySegmentsAreRefusedAndOneTrailingSlashIsTolerated() {
        for (String bad : new String[] {"", "/", "/a", "a//b", "a/b//"}) { // "" and "/" name the root
            assertThatThrownBy(() -> store.put(bad, utf8("x"))).as(bad).isInstanceOf(FeedException.class)
                    .extracting(e -> ((FeedException) e).type()).isEqualTo("feed-bad-path");
        }
        store.put("a/b/", utf8("x"));
        assertThat(store.entries()).containsOnlyKeys("a/b");
    }

    @Test
    void deletingTheLastLeafPrunesItsParentsButNeverASubtree() {
        store.put("a/b/c", utf8("1"));
        store.put("a/d", utf8("2"));
        store.put("x/y", utf8("3"));
        assertThat(store.delete("a/b/c")).isTrue();
        assertThat(store.entries()).containsOnlyKeys("a/d", "x/y");
        assertThat(store.delete("x")).isFalse();
        assertThat(store.delete("nope/here")).isFalse();
        assertThat(store.entries()).containsOnlyKeys("a/d", "x/y");
    }

    @Test
    void pruningRemovesASubtreeAndLeavesItsEmptyParentInTheTree() {
        store.put("msgs/me/1/1", utf8("a"));
        store.put("msgs/me/1/2", utf8("b"));
        store.put("msgs/me/2/1", utf8("c"));
        assertThat(store.prune("msgs/me/1")).isTrue();
        assertThat(store.entries()).containsOnlyKeys("msgs/me/2/1");
        assertThat(store.prune("msgs/me/2")).isTrue();
        Publication p = store.publish(1);
        // msgs/me stays as an empty level: a TreeNode of 32 zero bytes, as upstream's PrunePrefix leaves it
        assertThat(p.objects()).extracting(FeedObject::bytes).contains(new byte[32]);
        assertThat(TreeWalk.walk(p.root().root(), p.source()).leaves()).isEmpty();
        assertThat(store.prune("")).isTrue();
        assertThat(store.entries()).isEmpty();
    }

    @Test
    void publishingChainsRootsAndOverwritesReplaceValues() {
        store.put("k", utf8("1"));
        Publication first = store.publish(1);
        assertThat(store.isDirty()).isFalse();
        store.put("k", utf8("2"));
        Publication second = store.publish(2);

        assertThat(second.root().root().seq()).isEqualTo(1);
        assertThat(second.root().root().prev()).isEqualTo(first.root().hash());
        second.root().checkFollows(first.root());
        assertThat(TreeWalk.walk(second.root().root(), second.source()).leaves().get("k")).isEqualTo(utf8("2"));
        // the top TreeNode, its Children Refs and the entry all changed; nothing is reused
        assertThat(second.fresh()).hasSize(3).isEqualTo(second.objects());
    }

    @Test
    void anEmptyTreePublishesATreeNodeWithNoChildren() {
        Publication p = store.publish(0);
        assertThat(p.objects()).hasSize(1);
        assertThat(p.objects().get(0).bytes()).isEqualTo(new byte[32]);
        assertThat(TreeWalk.walk(p.root().root(), p.source()).leaves()).isEmpty();
    }

    @Test
    void aResumedStoreContinuesTheChainWithTheSameBytes() {
        TreeStore first = new TreeStore(TreeStoreVectorTests.feed());
        first.put("msgs/1", utf8("a"));
        Publication p0 = first.publish(10);

        TreeStore resumed = TreeStore.resume(TreeStoreVectorTests.feed(), p0.root(), p0.source());
        assertThat(resumed.entries()).containsOnlyKeys("msgs/1");
        assertThat(resumed.isDirty()).isFalse();
        first.put("msgs/2", utf8("b"));
        resumed.put("msgs/2", utf8("b"));
        Publication a = first.publish(20);
        Publication b = resumed.publish(20);

        assertThat(b.root().value()).isEqualTo(a.root().value());
        assertThat(b.root().root().seq()).isEqualTo(1);
        assertThat(b.fresh()).isEqualTo(a.fresh());
        assertThatThrownBy(() -> TreeStore.resume(TreeStoreVectorTests.feed(), p0.root(), k -> null))
                .isInstanceOf(FeedException.class).hasMessageContaining("missing");
    }
}
