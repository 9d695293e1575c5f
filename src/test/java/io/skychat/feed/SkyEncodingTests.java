package io.skychat.feed;

import static io.skychat.feed.FeedVectors.hex;
import static io.skychat.feed.FeedVectors.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The skycoin encoder's primitives, and that a hostile length is refused before anything is allocated. */
class SkyEncodingTests {

    @Test
    void integersAreLittleEndianAndSlicesCarryAU32Prefix() {
        byte[] b = new SkyWriter().u8(0xab).bool(true).u16(0x0102).u32(0x01020304L).u64(0x0102030405060708L)
                .string("hi").bytes(new byte[] {9}).raw(new byte[] {7, 7}).toByteArray();

        assertThat(hex(b)).isEqualTo("ab01" + "0201" + "04030201" + "0807060504030201" + "020000006869"
                + "0100000009" + "0707");
        SkyReader in = new SkyReader(b, "test");
        assertThat(in.u8()).isEqualTo(0xab);
        assertThat(in.bool()).isTrue();
        assertThat(in.u16()).isEqualTo(0x0102);
        assertThat(in.u32()).isEqualTo(0x01020304L);
        assertThat(in.u64()).isEqualTo(0x0102030405060708L);
        assertThat(in.string()).isEqualTo("hi");
        assertThat(in.bytes()).containsExactly(9);
        assertThat(in.raw(2)).containsExactly(7, 7);
        in.end();
    }

    @Test
    void aLengthBeyondTheInputIsRefusedWithoutAllocatingIt() {
        SkyReader in = new SkyReader(unhex("ffffffff00"), "Object");
        assertThatThrownBy(in::bytes).isInstanceOf(FeedException.class)
                .hasMessageContaining("needs 4294967295 bytes, 1 remain")
                .extracting(e -> ((FeedException) e).type()).isEqualTo("feed-malformed");
    }

    @Test
    void aSliceCountIsCheckedAgainstTheSmallestElement() {
        // 2 elements of at least 32 bytes cannot fit in 40
        SkyReader in = new SkyReader(new SkyWriter().count(2).raw(new byte[40]).toByteArray(), "Refs");
        assertThatThrownBy(() -> in.count(32)).isInstanceOf(FeedException.class);
    }

    @Test
    void leftoverBytesAreAnIncompleteDecoding() {
        SkyReader in = new SkyReader(unhex("0100"), "x");
        in.u8();
        assertThatThrownBy(in::end).isInstanceOf(FeedException.class).hasMessageContaining("incomplete decoding");
    }

    @Test
    void aU32OutsideItsRangeIsAProgrammingError() {
        assertThatThrownBy(() -> new SkyWriter().u32(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SkyWriter().u32(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }
}
