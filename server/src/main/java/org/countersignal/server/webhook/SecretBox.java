package org.countersignal.server.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets the service must use again (webhook signing secrets, exchange credentials) at
 * rest with AES-256-GCM under the server key. They must be recoverable (they sign every delivery,
 * they log in to a source), so they cannot be hashed like API keys; a copy of the database alone
 * does not give them away without the key file.
 *
 * <p>Stored form: a version byte, the 12-byte random nonce, then ciphertext and 16-byte tag.
 *
 * <p>The key can be rotated ({@code ServerKeyRotation}): the new key is written beside the file
 * as {@code FILE.next}, every stored secret is sealed again under it in one transaction, the old
 * key is kept as {@code FILE.previous} and the new one takes the file's place. A box seals with the
 * file's key and opens with it or with either of those two when they exist, so a rotation stopped
 * at any step, or a secret sealed by a replica not yet restarted, still opens; deleting {@code
 * FILE.previous} retires the old key.
 */
public final class SecretBox {

  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte VERSION = 1;

  static final String WEBHOOK_SECRET = "webhook secret";

  private final SecretKey key;
  /** The key, then the keys a stored secret may also have been sealed with; each is tried in turn. */
  private final List<SecretKey> opening;
  private final SecureRandom random = new SecureRandom();

  SecretBox(byte[] key, byte[]... alsoOpening) {
    this.key = aes(key);
    List<SecretKey> keys = new ArrayList<>();
    keys.add(this.key);
    for (byte[] other : alsoOpening) {
      keys.add(aes(other));
    }
    this.opening = List.copyOf(keys);
  }

  private static SecretKey aes(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the secret key must be " + KEY_BYTES + " bytes, got " + key.length);
    }
    return new SecretKeySpec(key, "AES");
  }

  /** Where a rotation writes the new key before it takes the file's place. */
  public static Path nextKeyFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".next");
  }

  /** Where a rotation keeps the key it replaced. */
  public static Path previousKeyFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".previous");
  }

  /**
   * The key in {@code file}, made (32 random bytes, owner read/write only) if the file does not
   * exist. Replicas that share one database must be given the same file: a key made by each on
   * its own would not decrypt what the others stored.
   */
  public static SecretBox fromKeyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      List<byte[]> others = new ArrayList<>();
      for (Path other : List.of(nextKeyFile(file), previousKeyFile(file))) {
        if (Files.exists(other)) {
          others.add(read(other));
        }
      }
      return new SecretBox(read(file), others.toArray(byte[][]::new));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret key file " + file, e);
    }
  }

  /** The key in {@code file} alone, which must exist: the key a rotation seals with. */
  public static SecretBox onlyKeyFile(Path file) {
    try {
      return new SecretBox(read(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the secret key file " + file, e);
    }
  }

  private static byte[] read(Path file) throws IOException {
    byte[] key = Files.readAllBytes(file);
    if (key.length != KEY_BYTES) {
      throw new IllegalStateException("secret key file " + file + " must hold exactly " + KEY_BYTES + " bytes, it has " + key.length);
    }
    return key;
  }

  /** Makes {@code file} with a new random key, readable and writable by its owner only; nothing if it exists. */
  public static void create(Path file) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null) {
      Files.createDirectories(folder);
    }
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
    try {
      // Made with its permissions in one step: no moment where another user could read it.
      boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
      if (posix) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
      } else {
        Files.createFile(file);
      }
      Files.write(file, key, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
    } catch (FileAlreadyExistsException e) {
      // Another process sharing the folder made it first: use theirs.
    }
  }

  /**
   * A key for another use, derived from the server key so that replicas sharing the key file
   * share it too, and separated by {@code purpose} so that no use can stand in for another: the
   * first block of HKDF-Expand (RFC 5869), HMAC-SHA256(server key, purpose || 0x01). The server
   * key is 32 random bytes, so it serves as HKDF's pseudorandom key without an extract step.
   */
  public byte[] derivedKey(String purpose) {
    return derive(key, purpose);
  }

  /** {@link #derivedKey} of each key this box opens with, its own first. */
  public List<byte[]> derivedKeys(String purpose) {
    return opening.stream().map(k -> derive(k, purpose)).toList();
  }

  private static byte[] derive(SecretKey key, String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      mac.update(purpose.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(new byte[] {1});
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  /**
   * Seals each of {@code stored} (row id and stored form, sealed for {@code purpose} by this box or
   * a key it opens with) again under {@code to}, and hands each to {@code write}; returns how many:
   * for a rotation of the server key, inside the transaction of the table's owner.
   */
  public int resealAll(String purpose, List<Map.Entry<Long, byte[]>> stored, SecretBox to, BiConsumer<Long, byte[]> write) {
    for (Map.Entry<Long, byte[]> row : stored) {
      write.accept(row.getKey(), to.seal(purpose, open(purpose, row.getValue())));
    }
    return stored.size();
  }

  byte[] encrypt(String secret) {
    return seal(WEBHOOK_SECRET, secret);
  }

  String decrypt(byte[] stored) {
    return open(WEBHOOK_SECRET, stored);
  }

  // Binds ciphertexts to their use: a value sealed for one purpose does not open for another.
  private static byte[] aad(String purpose) {
    return ("countersignal " + purpose).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code secret} encrypted for {@code purpose} (such as "exchange credentials"), in the stored form above. */
  public byte[] seal(String purpose, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(purpose));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** What {@link #seal} sealed for {@code purpose}. */
  public String open(String purpose, byte[] stored) {
    if (stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != VERSION) {
      throw new IllegalStateException("a stored " + purpose + " is not in a known form");
    }
    AEADBadTagException refused = null;
    for (SecretKey candidate : opening) {
      try {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, candidate, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
        cipher.updateAAD(aad(purpose));
        byte[] plain = cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
        return new String(plain, StandardCharsets.UTF_8);
      } catch (AEADBadTagException e) {
        refused = e; // sealed with another key, or altered: the next key may open it
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM is unavailable", e);
      }
    }
    throw new IllegalStateException("a stored " + purpose + " does not decrypt with this server's secret key file;"
        + " every replica must use the file that encrypted it", refused);
  }
}
