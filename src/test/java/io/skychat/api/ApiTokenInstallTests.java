package io.skychat.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenInstallTests {

    private static final String TOKEN = "Zq7pX2mK9vB4nR8tY1wE6uI3oA5sD0fGhJkLcV";

    @TempDir
    Path dir;

    private Path secret(String content) throws Exception {
        Path file = dir.resolve("secret/api.token");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        // as a kubelet mounts a Secret under fsGroup: group-readable, which the node itself would refuse
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
        return file;
    }

    @Test
    void aGroupReadableSecretBecomesAnOwnerOnlyTokenFileTheNodeAccepts() throws Exception {
        Path from = secret(TOKEN + "\n");
        Path to = dir.resolve("work/api.token");
        assertThatThrownBy(() -> ApiTokenFile.read(from)).isInstanceOf(AccessSetupException.class);

        assertThat(ApiTokenInstall.install(from, to)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(to))).isEqualTo("rw-------");
        assertThat(ApiTokenFile.read(to)).isEqualTo(TOKEN);
        assertThat(ApiTokenInstall.install(from, to)).isFalse();
        try (var left = Files.list(to.getParent())) {
            assertThat(left).containsExactly(to);
        }
    }

    @Test
    void aChangedSecretReplacesTheToken() throws Exception {
        Path to = dir.resolve("work/api.token");
        ApiTokenFile.readOrCreate(to);
        assertThat(ApiTokenInstall.install(secret(TOKEN), to)).isTrue();
        assertThat(ApiTokenFile.read(to)).isEqualTo(TOKEN);
    }

    @Test
    void aSecretThatHoldsNoTokenLeavesTheOldOneInPlace() throws Exception {
        Path to = dir.resolve("work/api.token");
        String old = ApiTokenFile.readOrCreate(to);
        assertThatThrownBy(() -> ApiTokenInstall.install(secret("short"), to))
                .isInstanceOf(AccessSetupException.class).hasMessageContaining("does not hold a token");
        assertThat(ApiTokenFile.read(to)).isEqualTo(old);
    }

    @Test
    void asAProgramItSaysWhatIsWrongInOneLineAndExitsNonZero() throws Exception {
        Path from = secret("has spaces in it and is long enough to pass the length");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                Path.of("target", "classes").toAbsolutePath().toString(), ApiTokenInstall.class.getName(),
                from.toString(), dir.resolve("work/api.token").toString()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(err.lines()).hasSize(1).first().asString().contains("does not hold a token");
        assertThat(dir.resolve("work/api.token")).doesNotExist();
    }
}
