package io.skychat.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenFileTests {

    @TempDir
    Path dir;

    @Test
    void firstStartWritesAnOwnerOnlyTokenAndLaterStartsReuseIt() throws Exception {
        Path file = dir.resolve("deeper/work/api.token");
        String token = ApiTokenFile.readOrCreate(file);
        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(ApiTokenFile.readOrCreate(file)).isEqualTo(token);
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void everyTokenIsNew() {
        assertThat(ApiTokenFile.newToken()).isNotEqualTo(ApiTokenFile.newToken());
    }

    @Test
    void aFileTheGroupCanReadIsRefusedWithTheFix() throws Exception {
        Path file = dir.resolve("api.token");
        Files.writeString(file, ApiTokenFile.newToken());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> ApiTokenFile.readOrCreate(file))
                .isInstanceOf(AccessSetupException.class)
                .hasMessage("api token file " + file + " is accessible to group or others (mode rw-r-----); run: chmod 600 " + file);
    }

    @Test
    void aFileWithoutATokenIsRefused() throws Exception {
        Path file = dir.resolve("api.token");
        Files.writeString(file, "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> ApiTokenFile.read(file))
                .hasMessageContaining("does not hold a token");
    }

    @Test
    void aHandMadeLongTokenIsAccepted() throws Exception {
        Path file = dir.resolve("api.token");
        Files.writeString(file, "my-own-long-token-of-forty-characters!!!\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(ApiTokenFile.read(file)).isEqualTo("my-own-long-token-of-forty-characters!!!");
    }

    @Test
    void aMissingPasswordHashIsNamed() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "hunter2\n");
        assertThatThrownBy(() -> PasswordFile.read(file)).hasMessageContaining("does not hold a bcrypt hash");
        String hash = "$2a$04$abcdefghijklmnopqrstuu5GkwcT3bLEVc0Q6bqEP3yZTOlkXkU3G";
        Files.writeString(file, "admin:" + hash + "\n");
        assertThat(PasswordFile.read(file)).isEqualTo(hash);
    }
}
