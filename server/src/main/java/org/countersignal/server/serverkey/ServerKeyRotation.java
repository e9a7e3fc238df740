package org.countersignal.server.serverkey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.countersignal.server.audit.AuditChain;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.exchange.ExchangeCredentials;
import org.countersignal.server.federation.InstanceKey;
import org.countersignal.server.store.Database;
import org.countersignal.server.webhook.SecretBox;
import org.countersignal.server.webhook.WebhookService;

/**
 * Replaces the server key (the secret key file) with a new one, with every server that uses the
 * database stopped: each secret stored under the old key (webhook signing secrets, exchange
 * credentials, the instance's signing keys) is sealed again under the new one, and the audit
 * chain's seals get MACs under the new key, all in one transaction, audited as {@code
 * server_key.rotated}.
 *
 * <p>The steps are ordered so that a rotation stopped at any point loses nothing and is finished
 * by running it again: the new key is written to {@code FILE.next} (and synced) before the
 * database is touched; the transaction commits; the old key is copied to {@code FILE.previous};
 * then {@code FILE.next} takes the file's place in one atomic rename. A server started in between
 * opens secrets with any of the three ({@link SecretBox#fromKeyFile}); a second run finds {@code
 * FILE.next} and goes on with it. Derived keys change with the key: console sign-in forms already
 * shown must be loaded again.
 */
public final class ServerKeyRotation {

  /** What a rotation did: the secrets sealed again, by kind, and the seals given a new MAC. */
  public record Result(Path keyFile, Path previousKeyFile, boolean resumed, int webhookSecrets, int exchangeCredentials,
      int instanceKeys, int auditSeals) {}

  private ServerKeyRotation() {}

  /**
   * Rotates the key of {@code config}'s secret key file on {@code config}'s database.
   *
   * @param actorKeyId who the audit record names (null for the server itself)
   */
  public static Result rotate(ServerConfig config, Long actorKeyId) {
    Path file = config.secretKeyPath().toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no server key at " + file + ": nothing to rotate (a server makes it at its first start)");
    }
    Path next = SecretBox.nextKeyFile(file);
    boolean resumed = Files.exists(next);
    Result result;
    // The database first: one a running server holds is refused before anything is written.
    try (Database database = Database.open(config.dataDir(), config.databaseUrl(), config.databaseUser(), config.databasePassword())) {
      if (!resumed) {
        SecretBox.create(next);
      }
      SecretBox current = SecretBox.fromKeyFile(file);
      SecretBox fresh = SecretBox.onlyKeyFile(next);
      result = database.jdbi().inTransaction(h -> {
        Result counts = new Result(file, SecretBox.previousKeyFile(file), resumed,
            WebhookService.resealSecrets(h, current, fresh),
            ExchangeCredentials.reseal(h, current, fresh),
            InstanceKey.reseal(h, current, fresh),
            AuditChain.remac(h, current.derivedKeys(AuditChain.MAC_KEY_PURPOSE), fresh.derivedKey(AuditChain.MAC_KEY_PURPOSE)));
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("webhook_secrets", counts.webhookSecrets());
        after.put("exchange_credentials", counts.exchangeCredentials());
        after.put("instance_keys", counts.instanceKeys());
        after.put("audit_seals", counts.auditSeals());
        after.put("resumed", resumed);
        AuditLog.append(h, actorKeyId, "server_key.rotated", "server_key", null, null, after);
        return counts;
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the new server key beside " + file + ": " + e.getMessage(), e);
    }
    try {
      Files.copy(file, SecretBox.previousKeyFile(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("the stored secrets are sealed under the key in " + next + ", which could not take the place of "
          + file + " (" + e.getMessage() + "); run the rotation again to finish", e);
    }
    return result;
  }
}
