package io.skychat.support;

/** Fixed identities from the upstream vectors (keys.json): roles A, B and S. */
public final class Keys {

    public static final String ALICE_SK = "f5ea52fb1e5557b26efb2fb96098ca3f573181e89f6cbd09fe1eb7ca13e5e4e5";
    public static final String ALICE_PK = "024d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66";
    public static final String BOB_SK = "fc5d850c38773b37058bd23197d35a67a7ef3b182e697c3b47d5e36d3f6fecf4";
    public static final String BOB_PK = "03fe8f6dcb225fc2cc352726fe98bde6c7fec9bc7fe94539874d9717d2cea2a8e3";
    public static final String CAROL_SK = "5673567312f31801773f84b040d7d7bfd3774b3ffdada5d6a2f1f6a853ec11a4";
    public static final String CAROL_PK = "03280a51e47f432ccc1b597c7ac1d75df3a14693f9670c97ad29e86e5fb91101c3";

    private Keys() {
    }
}
