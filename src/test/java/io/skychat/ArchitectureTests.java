package io.skychat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rule: arrows point into {@code core}; each library stays in the package made for it. */
class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.skychat");

    @Test
    void coreDependsOnNoAdapterAndNoFramework() {
        noClasses().that().resideInAPackage("io.skychat.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.skychat.api..", "io.skychat.cli..",
                        "io.skychat.config..", "io.skychat.store..", "io.skychat.transport..", "io.skychat.crypto..",
                        "org.springframework..", "io.netty..", "reactor.netty..", "org.bouncycastle..", "tools.jackson..")
                .check(CLASSES);
    }

    @Test
    void onlyCryptoTouchesBouncyCastle() {
        noClasses().that().resideOutsideOfPackage("io.skychat.crypto..")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
                .check(CLASSES);
    }

    @Test
    void onlyTransportAndApiTouchNetty() {
        noClasses().that().resideOutsideOfPackages("io.skychat.transport..", "io.skychat.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "reactor.netty..")
                .check(CLASSES);
    }

    @Test
    void theStoreIsReachedOnlyThroughItsPorts() {
        noClasses().that().resideInAnyPackage("io.skychat.api..", "io.skychat.transport..")
                .should().dependOnClassesThat().resideInAPackage("io.skychat.store..")
                .check(CLASSES);
    }
}
