package io.skychat.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;
import reactor.core.scheduler.Schedulers;

/**
 * The control surface described for dashboards and client generators at {@code /v3/api-docs} (behind the
 * same token as every other route). The routes themselves are read from the controllers.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDescription {

    /**
     * The description is generated once, by scanning the classpath: that file I/O must not run on an event
     * loop if a request arrives before start-up pre-loading finished, so these requests are handled on a
     * bounded worker instead.
     */
    @Bean
    WebFilter apiDocsOffTheEventLoop() {
        return (exchange, chain) -> exchange.getRequest().getPath().value().startsWith("/v3/api-docs")
                ? chain.filter(exchange).subscribeOn(Schedulers.boundedElastic())
                : chain.filter(exchange);
    }

    @Bean
    OpenAPI skychatOpenApi() {
        return new OpenAPI()
                .info(new Info().title("skychat control surface")
                        .description("Send and read direct messages addressed by secp256k1 public key. Errors are "
                                + "RFC 9457 application/problem+json with a urn:skychat:<type> type. /sse is "
                                + "text/event-stream (upstream's byte format); /events is NDJSON.")
                        .version("v1")
                        .license(new License().name("see the project repository")))
                .components(new Components()
                        .addSecuritySchemes("token", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("the token in <work-dir>/api.token"))
                        .addSecuritySchemes("password", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("only with --password-file")))
                .addSecurityItem(new SecurityRequirement().addList("token"))
                .addSecurityItem(new SecurityRequirement().addList("password"));
    }
}
