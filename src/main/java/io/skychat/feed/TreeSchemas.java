package io.skychat.feed;

import java.util.List;

/**
 * The treestore's registry ({@code pkg/cxo/treestore/schema.go}): TreeNode {Children Refs} and
 * TreeEntry {Name string; Sub Ref; Leaf []byte}, with upstream's exact Go tags.
 */
public final class TreeSchemas {

    public static final String TREE_NODE = "cxo.treestore.TreeNode";
    public static final String TREE_ENTRY = "cxo.treestore.TreeEntry";

    public static final Schema NODE = Schema.struct(TREE_NODE, List.of(
            new Schema.Field("Children", "skyobject:\"schema=" + TREE_ENTRY + "\"", Schema.refs(TREE_ENTRY))));

    public static final Schema ENTRY = Schema.struct(TREE_ENTRY, List.of(
            new Schema.Field("Name", "", Schema.basic(Schema.KIND_STRING, "string")),
            new Schema.Field("Sub", "skyobject:\"schema=" + TREE_NODE + "\"", Schema.ref(TREE_NODE)),
            new Schema.Field("Leaf", "", Schema.sliceOf(Schema.basic(Schema.KIND_UINT8, "uint8")))));

    public static final Registry REGISTRY = new Registry(List.of(NODE, ENTRY));

    /** What Root.Reg and Root.Refs[0].Schema hold for every treestore feed. */
    public static final Hash REGISTRY_REF = REGISTRY.reference();
    public static final Hash NODE_REF = NODE.reference();

    private TreeSchemas() {
    }
}
