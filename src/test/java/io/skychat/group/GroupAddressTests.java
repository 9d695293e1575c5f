package io.skychat.group;

import static io.skychat.group.GroupFixtures.GROUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupException.Reason;
import io.skychat.support.Keys;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** skychat://<pk>[/<group-id>] as upstream pkg/skychat/address parses it. */
class GroupAddressTests {

    static final PeerKey ALICE = PeerKey.parse(Keys.ALICE_PK);

    @ParameterizedTest
    @ValueSource(strings = {"skychat://" + Keys.ALICE_PK + "/72afa409-8b2e-4323-aa1e-8be57f30ebd5",
            "  SKYCHAT://" + Keys.ALICE_PK + "/72afa409-8b2e-4323-aa1e-8be57f30ebd5/ ",
            Keys.ALICE_PK + "/72afa409-8b2e-4323-aa1e-8be57f30ebd5"})
    void groupAddressesParse(String s) {
        GroupAddress a = GroupAddress.parse(s);
        assertThat(a.owner()).isEqualTo(ALICE);
        assertThat(a.groupId()).contains(GROUP);
        assertThat(a).hasToString("skychat://" + Keys.ALICE_PK + "/" + GROUP.value());
    }

    @Test
    void aBareKeyNamesAPerson() {
        GroupAddress a = GroupAddress.parse("skychat://" + Keys.ALICE_PK.toUpperCase());
        assertThat(a.groupId()).isEqualTo(Optional.empty());
        assertThat(a.isGroup()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty            | '   '                                                    | empty
            scheme only      | skychat://                                               | empty
            invite link      | skychat:invite:abc                                       | invite link
            short key        | skychat://024d9ec5                                       | 66 hex characters, got 8
            not hex          | skychat://zz4d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66 | invalid public key
            off the curve    | skychat://020000000000000000000000000000000000000000000000000000000000000005 | not a point
            junk group id    | skychat://024d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66/nope | invalid group id
            extra segment    | skychat://024d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66/a/b | extra path segment
            """)
    void badAddressesAreRefusedWithTheFault(String name, String s, String fault) {
        assertThatThrownBy(() -> GroupAddress.parse(s)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ADDRESS)).hasMessageContaining(fault);
    }

    @Test
    void groupIdsAreCanonicalUuidsAnd16BytesInSignedForms() {
        assertThat(GROUP.bytes()).containsExactly(GroupFixtures.HEX.parseHex("72afa4098b2e4323aa1e8be57f30ebd5"));
        assertThat(GroupId.of(GROUP.bytes())).isEqualTo(GROUP);
        assertThat(GroupId.parse(" 72AFA409-8B2E-4323-AA1E-8BE57F30EBD5 ")).isEqualTo(GROUP);
        assertThat(GroupId.random()).isNotEqualTo(GroupId.random());
        assertThatThrownBy(() -> GroupId.parse("72afa4098b2e4323aa1e8be57f30ebd5")).isInstanceOf(GroupException.class);
        assertThatThrownBy(() -> GroupId.parse("00000000-0000-0000-0000-000000000000")).isInstanceOf(GroupException.class);
    }

    @Test
    void kindsCarryUpstreamsModePolicyAndPostRule() {
        assertThat(GroupKind.PUBLIC.mode()).isEqualTo("public");
        assertThat(GroupKind.CHANNEL.mode()).isEqualTo("public");
        assertThat(GroupKind.PRIVATE.mode()).isEqualTo("private");
        assertThat(GroupKind.PRIVATE.joinPolicy()).isEqualTo("approval");
        assertThat(GroupKind.CHANNEL.joinPolicy()).isEqualTo("open");
        assertThat(GroupKind.CHANNEL.adminsOnlyPost()).isTrue();
        assertThat(GroupKind.PUBLIC.adminsOnlyPost()).isFalse();
        assertThat(GroupKind.parse(" Channel ")).isEqualTo(GroupKind.CHANNEL);
        assertThatThrownBy(() -> GroupKind.parse("forum")).hasMessageContaining("public, private or channel");
    }
}
