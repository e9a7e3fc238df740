package org.countersignal.signals.pdq;

/**
 * The eight symmetries of a rectangle, under which a re-uploaded image is often rotated or
 * mirrored. Rotations turn anticlockwise as the image is displayed, the mathematical convention
 * that image tools such as ImageMagick's {@code -rotate -90} and PIL's {@code rotate(90)} follow:
 * {@link #ROTATE_90} is the original turned a quarter turn anticlockwise (its top edge becomes
 * the left edge).
 *
 * <p>Each variant's hash comes from the original's 16x16 DCT without decoding again: mirroring an
 * axis negates the coefficients whose index along that axis is even (their cosines are odd about
 * the centre), and swapping the axes transposes the coefficients.
 */
public enum Dihedral {
  ORIGINAL("original", false, false, false),
  /** A quarter turn anticlockwise. */
  ROTATE_90("rotate90", true, true, false),
  ROTATE_180("rotate180", false, true, true),
  /** Three quarter turns anticlockwise, i.e. a quarter turn clockwise. */
  ROTATE_270("rotate270", true, false, true),
  /** Mirrored across the horizontal (x) axis: top and bottom swap. */
  FLIP_X("flipx", false, true, false),
  /** Mirrored across the vertical (y) axis: left and right swap. */
  FLIP_Y("flipy", false, false, true),
  /** Mirrored about the main diagonal (top-left to bottom-right): rows become columns. */
  FLIP_PLUS_1("flipplus1", true, false, false),
  /** Mirrored about the anti-diagonal (top-right to bottom-left). */
  FLIP_MINUS_1("flipminus1", true, true, true);

  private final String wireName;
  private final boolean transpose;
  private final boolean negateEvenRows;
  private final boolean negateEvenColumns;

  Dihedral(String wireName, boolean transpose, boolean negateEvenRows, boolean negateEvenColumns) {
    this.wireName = wireName;
    this.transpose = transpose;
    this.negateEvenRows = negateEvenRows;
    this.negateEvenColumns = negateEvenColumns;
  }

  /** The name used in JSON and on the command line. */
  public String wireName() {
    return wireName;
  }

  /** Applies this symmetry to a 16x16 DCT (row-major; row index = vertical frequency). */
  float[] applyTo(float[] dct) {
    float[] out = new float[dct.length];
    int n = PdqHasher.DCT_OUTPUT;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        float value = transpose ? dct[j * n + i] : dct[i * n + j];
        boolean negate = (negateEvenRows && (i & 1) == 0) ^ (negateEvenColumns && (j & 1) == 0);
        out[i * n + j] = negate ? -value : value;
      }
    }
    return out;
  }
}
