package io.skychat.config;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * Work the service's start-up need not do (docs/benchmarks.md, "Start-up, second pass"):
 * <ul>
 * <li>No Bean Validation provider is bootstrapped for WebFlux: no route validates its body with
 * {@code @Valid}/{@code @Validated} (records check themselves), yet without a validator of its own WebFlux
 * builds Hibernate Validator at start (several hundred classes, a few hundred milliseconds).</li>
 * <li>springdoc's beans are lazy: what builds the description (swagger-core, a second JSON mapper) is
 * created on the first {@code /v3/api-docs} request instead of at start, which a node never asked for its
 * description does not need; only its configuration and start-up listener are created at start. That
 * request is already served on a bounded worker (api/OpenApiDescription).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class LeanStartConfiguration {

    /** A bean declared by a class in this package is made on first use; every other bean stays eager. */
    static final String LAZY_PACKAGE = "org.springdoc.";

    @Bean
    WebFluxConfigurer noBeanValidation() {
        return new WebFluxConfigurer() {
            @Override
            public Validator getValidator() {
                return NO_VALIDATION;
            }
        };
    }

    static final Validator NO_VALIDATION = new Validator() {
        @Override
        public boolean supports(Class<?> type) {
            return false;
        }

        @Override
        public void validate(Object target, Errors errors) {
        }
    };

    @Bean
    static BeanFactoryPostProcessor springdocOnFirstUse() {
        return factory -> {
            for (String name : factory.getBeanDefinitionNames()) {
                BeanDefinition definition = factory.getBeanDefinition(name);
                if (declaredIn(factory, definition, LAZY_PACKAGE)) {
                    definition.setLazyInit(true);
                }
            }
        };
    }

    /** The bean's class, or for a {@code @Bean} method the class of the configuration that declares it. */
    static boolean declaredIn(ConfigurableListableBeanFactory factory, BeanDefinition definition, String packagePrefix) {
        String type = definition.getBeanClassName();
        String declaring = definition.getFactoryBeanName();
        if (declaring != null && factory.containsBeanDefinition(declaring)) {
            type = factory.getBeanDefinition(declaring).getBeanClassName();
        }
        return type != null && type.startsWith(packagePrefix);
    }
}
