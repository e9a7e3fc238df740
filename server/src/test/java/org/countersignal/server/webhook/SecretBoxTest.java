package org.countersignal.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server key file and AES-GCM encryption of webhook secrets; where the key file is configured. */
class SecretBoxTest {

  @TempDir Path dir;

  @Test
  void keyFileIsMadeOnceForTheOwnerOnlyAndReadAgain() throws Exception {
    Path file = dir.resolve("keys/secret.key");
    SecretBox first = SecretBox.fromKeyFile(file);
    byte[] key = Files.readAllBytes(file);
    assertThat(key).hasSize(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    byte[] sealed = first.encrypt("whsec_abc");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("whsec_abc");
    SecretBox again = SecretBox.fromKeyFile(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(key);
    assertThat(again.decrypt(sealed)).isEqualTo("whsec_abc");
  }

  @Test
  void sameSecretEncryptsDifferentlyEachTime() {
    SecretBox box = SecretBox.fromKeyFile(dir.resolve("secret.key"));
    assertThat(box.encrypt("whsec_same")).isNotEqualTo(box.encrypt("whsec_same"));
  }

  @Test
  void anotherKeyOrATamperedValueDoesNotDecrypt() {
    byte[] sealed = SecretBox.fromKeyFile(dir.resolve("a.key")).encrypt("whsec_abc");
    SecretBox other = SecretBox.fromKeyFile(dir.resolve("b.key"));
    assertThatThrownBy(() -> other.decrypt(sealed)).hasMessageContaining("secret key file");

    SecretBox box = SecretBox.fromKeyFile(dir.resolve("a.key"));
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> box.decrypt(sealed)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keyFileOfTheWrongSizeIsRefusedClearly() throws Exception {
    Path file = dir.resolve("short.key");
    Files.writeString(file, "too short");
    assertThatThrownBy(() -> SecretBox.fromKeyFile(file)).hasMessageContaining("exactly 32 bytes");
  }

  @Test
  void keyFileIsInTheDataDirectoryUnlessConfigured() throws Exception {
    ServerConfig base = ServerConfig.defaults().withDataDir(dir.resolve("data"));
    assertThat(base.secretKeyPath()).isEqualTo(dir.resolve("data").resolve("secret.key"));

    Path config = dir.resolve("conf/countersignal.properties");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "secret-key-file = keys/webhooks.key\n");
    assertThat(ServerConfig.fromFile(base, config).secretKeyPath()).isEqualTo(dir.resolve("conf/keys/webhooks.key").toAbsolutePath());

    assertThat(ServerConfig.fromEnvironment(base, Map.of(ServerConfig.ENV_SECRET_KEY_FILE, "/etc/countersignal/secret.key"))
        .secretKeyPath()).isEqualTo(Path.of("/etc/countersignal/secret.key"));
  }
}
