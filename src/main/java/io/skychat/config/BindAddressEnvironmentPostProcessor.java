package io.skychat.config;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps {@code skychat.addr} and {@code skychat.management-addr} onto the web server and actuator
 * settings. Added last, so an explicit {@code server.port} still wins.
 */
public final class BindAddressEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final int MANAGEMENT_PORT_OFFSET = 1000;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty("skychat.server-mode", Boolean.class, true)) {
            return;
        }
        BindAddress control = BindAddress.parse(env.getProperty("skychat.addr", ":8001"));
        String managementSpec = env.getProperty("skychat.management-addr");
        BindAddress management = managementSpec == null || managementSpec.isBlank()
                ? defaultManagement(control)
                : BindAddress.parse(managementSpec);
        Map<String, Object> props = new HashMap<>();
        props.put("server.address", control.host());
        props.put("server.port", control.port());
        props.put("management.server.address", management.host());
        props.put("management.server.port", management.port());
        env.getPropertySources().addLast(new MapPropertySource("skychat-bind-addresses", props));
    }

    /** Loopback, control port + 1000; a random port when the control port is random or too high. */
    static BindAddress defaultManagement(BindAddress control) {
        int port = control.port() == 0 || control.port() + MANAGEMENT_PORT_OFFSET > 65535
                ? 0 : control.port() + MANAGEMENT_PORT_OFFSET;
        return new BindAddress("127.0.0.1", port);
    }
}
