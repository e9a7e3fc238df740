package org.countersignal.server.signal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.digest.DigestSignalType;

/**
 * A cryptographic digest of the content's bytes (lowercase hex): the very same file, found in an
 * {@link ExactSignalIndex}; its only threshold is 0. Every upload, image, video, text or document,
 * has one.
 */
abstract class DigestType implements ServerSignalType {

  private final DigestSignalType library;

  DigestType(DigestSignalType library) {
    this.library = library;
  }

  @Override
  public String name() {
    return library.name();
  }

  @Override
  public String canonical(String text, String field) {
    return ServerSignalType.libraryCanonical(library, text, field);
  }

  @Override
  public int maxThreshold() {
    return 0;
  }

  @Override
  public int defaultThreshold() {
    return 0;
  }

  @Override
  public Set<ContentType> hashedFrom() {
    return Set.of(ContentType.PHOTO, ContentType.VIDEO, ContentType.TEXT, ContentType.DOCUMENT);
  }

  @Override
  public SignalIndex newIndex() {
    return new ExactSignalIndex(DigestType::bytes);
  }

  @Override
  public SignalIndex readIndex(Path file) throws IOException {
    return ExactSignalIndex.read(file, DigestType::bytes);
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
