package org.countersignal.signals.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.countersignal.signals.Content;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.SignalType;

/**
 * Exact-bytes signals (MD5, SHA-256): they match only identical files, but every hash list in the
 * field carries them, and they cost next to nothing. Applies to every content type with bytes.
 */
public final class DigestSignalType implements SignalType<Digest> {

  public static final DigestSignalType MD5 = new DigestSignalType("md5", "MD5", 16);
  public static final DigestSignalType SHA256 = new DigestSignalType("sha256", "SHA-256", 32);

  private static final Set<ContentType> CONTENT_TYPES =
      EnumSet.of(ContentType.PHOTO, ContentType.VIDEO, ContentType.DOCUMENT, ContentType.TEXT);

  private final String name;
  private final String algorithm;
  private final int hexLength;

  private DigestSignalType(String name, String algorithm, int byteLength) {
    this.name = name;
    this.algorithm = algorithm;
    this.hexLength = byteLength * 2;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<ContentType> contentTypes() {
    return CONTENT_TYPES;
  }

  @Override
  public Digest hash(Content content) {
    return digest(content.bytes());
  }

  public Digest digest(byte[] bytes) {
    try {
      return new Digest(HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java runtime", e);
    }
  }

  /** Digest of a file's bytes, streamed. */
  public Digest digest(Path file) throws ContentException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance(algorithm);
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return new Digest(HexFormat.of().formatHex(digest.digest()));
    } catch (IOException e) {
      throw new ContentException(ContentException.Reason.UNREADABLE, "cannot read: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java runtime", e);
    }
  }

  @Override
  public Digest parse(String text) {
    if (text == null) {
      throw new MalformedSignalException(name, "digest is missing");
    }
    String hex = text.strip();
    if (hex.length() != hexLength) {
      throw new MalformedSignalException(
          name, "expected " + hexLength + " hex digits, got " + hex.length() + " characters");
    }
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        throw new MalformedSignalException(name, "not a hex digit at position " + i);
      }
    }
    return new Digest(hex.toLowerCase(Locale.ROOT));
  }

  @Override
  public String format(Digest signal) {
    return signal.hex();
  }

  @Override
  public int distance(Digest a, Digest b) {
    return a.equals(b) ? 0 : 1;
  }

  @Override
  public int defaultThreshold() {
    return 0;
  }
}
