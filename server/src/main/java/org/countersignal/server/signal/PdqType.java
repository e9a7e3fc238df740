package org.countersignal.server.signal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.image.LumaImage;
import org.countersignal.signals.pdq.Dihedral;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.pdq.PdqHasher;
import org.countersignal.signals.pdq.PdqSignal;
import org.countersignal.signals.pdq.PdqSignalType;

/**
 * PDQ, the perceptual hash of images: 64 hex digits, matched within a Hamming distance (default
 * 31, at most 256) in a {@link HammingSignalIndex}, and also the hash of each video frame.
 *
 * <p>A hash has a quality (0-100) when the service computed it: how much structure the image
 * has. A flat or nearly flat image hashes to noise that matches other flat images and little
 * else, so a bank matches a computed hash only from its floor up ({@code pdq_min_quality}, 50 as
 * the field uses). A hash given as text carries no quality and is matched, except the all-zero
 * hash, which is what every black image gives and is treated as quality 0. Banks refuse the
 * hashes no real image content gives: all zeros, all ones and the hashes of flat grey images.
 */
public final class PdqType implements ServerSignalType {

  public static final String NAME = "pdq";
  public static final BankSetting MIN_QUALITY = new BankSetting("pdq_min_quality", PdqSignal.MATCHING_QUALITY, 100,
      "the lowest quality a PDQ hash the service computed (from an image or a video frame) must have to match, or to be"
          + " banked from an upload");

  private static final String ZEROS = "0".repeat(64);
  private static final String ONES = "f".repeat(64);

  private final PdqSignalType library = new PdqSignalType(new ImageDecoder());

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String canonical(String text, String field) {
    return ServerSignalType.libraryCanonical(library, text, field);
  }

  @Override
  public Map<String, Object> facts(Object computed) {
    return computed instanceof PdqSignal signal ? Map.of("quality", signal.quality()) : Map.of();
  }

  @Override
  public void checkBankable(String canonical, String field) {
    if (canonical.equals(ZEROS) || canonical.equals(ONES) || FlatImages.HASHES.contains(canonical)) {
      throw RequestException.invalid(field, "this pdq hash is what a flat image (one colour, no structure) hashes to; it would"
          + " match unrelated content, so banks do not take it");
    }
  }

  @Override
  public int maxThreshold() {
    return PdqHash.BITS;
  }

  @Override
  public int defaultThreshold() {
    return PdqSignalType.DEFAULT_THRESHOLD;
  }

  /**
   * 52: a caption, a logo or a colour shift moves a banked picture past the default 31 and mostly
   * not past 52, while unrelated pictures are about 128 apart; crops beyond a few per cent and
   * letterboxes land as far as unrelated pictures, where no band reaches (docs/BENCHMARKS.md,
   * "Variant discovery").
   */
  @Override
  public int nearMissDistance() {
    return 52;
  }

  @Override
  public List<BankSetting> settings() {
    return List.of(MIN_QUALITY);
  }

  @Override
  public BankSetting qualityFloor() {
    return MIN_QUALITY;
  }

  @Override
  public int quality(Object computed) {
    return computed instanceof PdqSignal signal ? signal.quality() : -1;
  }

  @Override
  public int textQuality(String canonical) {
    return canonical.equals(ZEROS) ? 0 : -1;
  }

  @Override
  public Set<ContentType> hashedFrom() {
    return Set.of(ContentType.PHOTO);
  }

  @Override
  public String contentKind() {
    return "photo";
  }

  @Override
  public SignalIndex newIndex() {
    return new HammingSignalIndex();
  }

  @Override
  public SignalIndex readIndex(Path file) throws IOException {
    return HammingSignalIndex.read(file);
  }

  /**
   * What a hit's {@code variant} says: which transform of the banked image the upload is. The
   * hasher gives the hash of {@code applied} to the upload; when that matches, the upload is the
   * banked image with the inverse applied (an upload turned a quarter anticlockwise matches by its
   * quarter turn clockwise, and is shown as {@code rotate90}). Mirrors and the half turn are their
   * own inverses.
   */
  public static String variantName(Dihedral applied) {
    return switch (applied) {
      case ROTATE_90 -> Dihedral.ROTATE_270.wireName();
      case ROTATE_270 -> Dihedral.ROTATE_90.wireName();
      default -> applied.wireName();
    };
  }

  /**
   * The hashes of flat images of every grey level, as a decoder gives them: from grey bytes (JPEG)
   * and from RGB (other formats), which differ in the last bits of the luminance and so in the
   * noise the hash is made of. Size does not change them.
   */
  /**
   * The hashes of flat grey images, computed once per process (512 hashes of small images) when
   * a bank first checks a hash, not at start-up.
   */
  private static final class FlatImages {
    static final Set<String> HASHES = flatImageHashes();
  }

  private static Set<String> flatImageHashes() {
    PdqHasher hasher = new PdqHasher();
    int side = 64;
    Set<String> hashes = new HashSet<>();
    float[] grey = new float[side * side];
    int[] rgb = new int[side * side];
    for (int level = 0; level < 256; level++) {
      java.util.Arrays.fill(grey, level);
      java.util.Arrays.fill(rgb, (level << 16) | (level << 8) | level);
      hashes.add(hasher.hash(new LumaImage(grey, side, side)).hash().toHex());
      hashes.add(hasher.hash(LumaImage.fromPackedRgb(rgb, side, side)).hash().toHex());
    }
    return Set.copyOf(hashes);
  }
}
