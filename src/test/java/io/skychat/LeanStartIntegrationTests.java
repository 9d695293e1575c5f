package io.skychat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.skychat.api.dto.StatusResponse;
import io.skychat.support.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.validation.Validator;

/**
 * What the service leaves out of its start-up (config/LeanStartConfiguration) stays out, and what it
 * defers still works when asked for: no Bean Validation behind the web layer, springdoc built on the
 * first request for the description, and the actuator's three endpoints as before.
 */
class LeanStartIntegrationTests {

    @Test
    void theWebLayerValidatesNothingAndBuildsNoValidationProvider(@TempDir Path dir) {
        try (Node node = Node.start(dir, "--standalone")) {
            node.http().get().uri("/status").exchange().expectStatus().isOk();
            Validator web = node.bean(org.springframework.web.reactive.result.method.annotation
                    .RequestMappingHandlerAdapter.class).getWebBindingInitializer() instanceof
                    org.springframework.web.bind.support.ConfigurableWebBindingInitializer init
                    ? init.getValidator() : null;
            assertThat(web).isNotNull();
            // A Bean Validation provider answers true for any type; the service's validator for none.
            assertThat(web.supports(StatusResponse.class)).isFalse();
            assertThat(node.createdSingletonTypes())
                    .noneMatch(t -> t.startsWith("org.hibernate.validator."))
                    .noneMatch(t -> t.startsWith("org.springframework.validation.beanvalidation."));
        }
    }

    @Test
    void springdocIsBuiltOnTheFirstRequestForTheDescription(@TempDir Path dir) {
        try (Node node = Node.start(dir, "--standalone")) {
            node.http().get().uri("/status").exchange().expectStatus().isOk();
            // its configuration and start-up listener exist; what builds the description (and its JSON mapper) not yet
            assertThat(node.createdSingletonTypes()).noneMatch(LeanStartIntegrationTests::describes);

            node.http().get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.info.title").isEqualTo("skychat control surface")
                    .jsonPath("$.paths['/status']").exists();
            assertThat(node.createdSingletonTypes()).anyMatch(LeanStartIntegrationTests::describes);
        }
    }

    private static boolean describes(String type) {
        return type.startsWith("org.springdoc.core.service.") || type.startsWith("org.springdoc.core.providers.")
                || type.startsWith("org.springdoc.webflux.");
    }

    @Test
    void theActuatorStillServesHealthInfoAndPrometheusAndNothingElse(@TempDir Path dir) {
        try (Node node = Node.start(dir, "--standalone")) {
            var management = org.springframework.test.web.reactive.server.WebTestClient
                    .bindToServer().baseUrl(node.managementUrl()).build();
            management.get().uri("/actuator/health").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.components.tcpDirect.status").isEqualTo("UP")
                    .jsonPath("$.components.readinessState.status").isEqualTo("UP");
            management.get().uri("/actuator/info").exchange().expectStatus().isOk();
            management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).value(body -> assertThat(body)
                            .contains("skychat_outbox_queued", "jvm_memory_used_bytes", "process_cpu_usage"));
            for (String hidden : new String[] {"beans", "env", "configprops", "mappings", "loggers", "threaddump"}) {
                management.get().uri("/actuator/" + hidden).exchange().expectStatus().isNotFound();
            }
        }
    }
}
