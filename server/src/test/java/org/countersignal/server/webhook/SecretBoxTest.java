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
  void aBoxSealsWithTheFilesKeyAndOpensWhatTheKeysBesideItSealed() throws Exception {
    Path file = dir.resolve("secret.key");
    SecretBox old = SecretBox.fromKeyFile(file);
    byte[] sealedByOld = old.encrypt("whsec_old");
    SecretBox.create(SecretBox.nextKeyFile(file));
    byte[] sealedByNext = SecretBox.onlyKeyFile(SecretBox.nextKeyFile(file)).encrypt("whsec_next");

    SecretBox both = SecretBox.fromKeyFile(file);
    assertThat(both.decrypt(sealedByOld)).isEqualTo("whsec_old");
    assertThat(both.decrypt(sealedByNext)).isEqualTo("whsec_next");
    assertThat(old.decrypt(both.encrypt("whsec_new"))).as("sealed with the file's key").isEqualTo("whsec_new");
    assertThatThrownBy(() -> old.decrypt(sealedByNext)).hasMessageContaining("does not decrypt");

    // The next key in the file's place and the old one kept beside it: both still open.
    Files.move(file, SecretBox.previousKeyFile(file));
    Files.move(SecretBox.nextKeyFile(file), file);
    SecretBox rotated = SecretBox.fromKeyFile(file);
    assertThat(rotated.decrypt(sealedByOld)).isEqualTo("whsec_old");
    assertThat(rotated.decrypt(sealedByNext)).isEqualTo("whsec_next");
    Files.delete(SecretBox.previousKeyFile(file));
    assertThatThrownBy(() -> SecretBox.fromKeyFile(file).decrypt(sealedByOld)).as("the old key retired").hasMessageContaining("does not decrypt");
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
