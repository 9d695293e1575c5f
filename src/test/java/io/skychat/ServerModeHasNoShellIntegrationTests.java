package io.skychat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.skychat.support.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spring Shell is on the class path for {@code skychat shell}, but the service must not notice: started with
 * Spring-style program arguments it answers HTTP and holds no bean of Spring Shell (no runner that would
 * take {@code --server.port=…} for a command, no terminal, no line reader).
 */
class ServerModeHasNoShellIntegrationTests {

    @Test
    void theServiceStartsWithSpringPropertyArgumentsAndHasNoShellBeans(@TempDir Path dir) {
        try (Node node = Node.start(dir, "--standalone", "--server.port=0", "--logging.level.root=warn",
                "--spring.main.banner-mode=off")) {
            node.http().get().uri("/status").exchange().expectStatus().isOk();
            assertThat(node.beanTypes()).isNotEmpty()
                    .noneMatch(t -> t.getName().startsWith("org.springframework.shell."))
                    .noneMatch(t -> t.getName().startsWith("org.jline."))
                    .noneMatch(t -> t.getName().startsWith("io.skychat.cli."));
        }
    }
}
