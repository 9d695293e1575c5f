package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageIdTests {

    @Test
    void sixteenLowerCaseHexCharactersAreAnId() {
        assertThat(MessageId.parseOrNull("0123456789abcdef")).isEqualTo(new MessageId("0123456789abcdef"));
        assertThat(MessageId.random().value()).hasSize(16).matches("[0-9a-f]{16}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0123456789abcde", "0123456789abcdef0", "0123456789ABCDEF", "0123456789abcdeg",
            "0123456789abcde ", "٠١٢٣٤٥٦٧٨٩abcdef", "0123456789abcd-f"})
    void anythingElseIsNot(String s) {
        assertThat(MessageId.parseOrNull(s)).isNull();
        assertThatThrownBy(() -> new MessageId(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("message id must be 16 lower-case hex characters");
    }

    @Test
    void nullIsNotAnId() {
        assertThat(MessageId.parseOrNull(null)).isNull();
        assertThatThrownBy(() -> new MessageId(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
