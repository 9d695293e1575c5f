package io.skychat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BindAddressTests {

    @Test
    void followsUpstreamBindingRules() {
        assertThat(BindAddress.parse(":8001")).isEqualTo(new BindAddress("127.0.0.1", 8001));
        assertThat(BindAddress.parse("*:8001")).isEqualTo(new BindAddress("0.0.0.0", 8001));
        assertThat(BindAddress.parse("192.168.1.5:8002")).isEqualTo(new BindAddress("192.168.1.5", 8002));
        assertThat(BindAddress.parse("[::1]:8002")).isEqualTo(new BindAddress("::1", 8002));
        assertThat(BindAddress.parse(":8001").isLoopback()).isTrue();
        assertThat(BindAddress.parse("*:8001").isLoopback()).isFalse();
    }

    @Test
    void managementDefaultsToLoopbackControlPortPlus1000() {
        assertThat(BindAddressEnvironmentPostProcessor.defaultManagement(BindAddress.parse("*:8001")))
                .isEqualTo(new BindAddress("127.0.0.1", 9001));
        assertThat(BindAddressEnvironmentPostProcessor.defaultManagement(BindAddress.parse(":0")).port()).isZero();
        assertThat(BindAddressEnvironmentPostProcessor.defaultManagement(BindAddress.parse(":65000")).port()).isZero();
    }

    @Test
    void rejectsWhatIsNotAnAddress() {
        assertThatThrownBy(() -> BindAddress.parse("8001")).hasMessageContaining("must look like :PORT");
        assertThatThrownBy(() -> BindAddress.parse(":http")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> BindAddress.parse(":70000")).hasMessageContaining("out of range");
    }
}
