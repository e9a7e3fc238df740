package org.countersignal.signals.pdq;

import java.util.EnumSet;
import java.util.Set;
import org.countersignal.signals.Content;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.SignalType;
import org.countersignal.signals.image.ImageDecoder;

/** PDQ as a signal type: photos in, 256-bit perceptual hashes out, Hamming distance. */
public final class PdqSignalType implements SignalType<PdqSignal> {

  /** Distance 31 of 256 bits: the field's convention for "same picture". */
  public static final int DEFAULT_THRESHOLD = 31;

  private final ImageDecoder decoder;
  private final PdqHasher hasher = new PdqHasher();

  public PdqSignalType(ImageDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public String name() {
    return "pdq";
  }

  @Override
  public Set<ContentType> contentTypes() {
    return EnumSet.of(ContentType.PHOTO);
  }

  @Override
  public PdqSignal hash(Content content) throws ContentException {
    return hashWithVariants(content.bytes()).signal();
  }

  /** Decodes once and keeps what is needed to produce the dihedral variants. */
  public PdqHasher.Result hashWithVariants(byte[] image) throws ContentException {
    return hasher.hash(decoder.decode(image));
  }

  @Override
  public PdqSignal parse(String text) {
    return new PdqSignal(PdqHash.fromHex(text), PdqSignal.UNKNOWN_QUALITY);
  }

  @Override
  public String format(PdqSignal signal) {
    return signal.hash().toHex();
  }

  @Override
  public int distance(PdqSignal a, PdqSignal b) {
    return a.hash().distance(b.hash());
  }

  @Override
  public int defaultThreshold() {
    return DEFAULT_THRESHOLD;
  }
}
