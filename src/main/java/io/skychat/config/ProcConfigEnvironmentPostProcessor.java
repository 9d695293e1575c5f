package io.skychat.config;

import java.util.Map;

import io.skychat.transport.visor.ProcConfig;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * As the visor's child, state lives in the {@code proc_work_dir} the visor gave us unless {@code --work-dir}
 * says otherwise. Added last, so every explicit setting still wins; a malformed PROC_CONFIG is left for
 * {@link VisorMode} to report.
 */
public final class ProcConfigEnvironmentPostProcessor implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String json = env.getProperty(ProcConfig.ENV);
        if (json == null || !VisorMode.requested(env)) {
            return;
        }
        ProcConfig config;
        try {
            config = ProcConfig.parse(json);
        } catch (RuntimeException e) {
            return;
        }
        if (!config.procWorkDir().isBlank()) {
            env.getPropertySources().addLast(new MapPropertySource("skychat-proc-config",
                    Map.of("skychat.work-dir", config.procWorkDir())));
        }
    }
}
