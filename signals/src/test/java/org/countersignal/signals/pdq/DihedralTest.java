package org.countersignal.signals.pdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.countersignal.signals.image.LumaImage;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DihedralTest {

  private final PdqHasher hasher = new PdqHasher();

  /** Each symmetry applied to the pixels themselves, written from its definition. */
  private static LumaImage transform(LumaImage in, Dihedral symmetry) {
    int w = in.width();
    int h = in.height();
    boolean swap = switch (symmetry) {
      case ROTATE_90, ROTATE_270, FLIP_PLUS_1, FLIP_MINUS_1 -> true;
      default -> false;
    };
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    float[] out = new float[w * h];
    for (int r = 0; r < oh; r++) {
      for (int c = 0; c < ow; c++) {
        out[r * ow + c] = switch (symmetry) {
          case ORIGINAL -> in.at(r, c);
          // anticlockwise: the top row becomes the left column, read bottom to top
          case ROTATE_90 -> in.at(c, w - 1 - r);
          case ROTATE_180 -> in.at(h - 1 - r, w - 1 - c);
          case ROTATE_270 -> in.at(h - 1 - c, r);
          case FLIP_X -> in.at(h - 1 - r, c);
          case FLIP_Y -> in.at(r, w - 1 - c);
          case FLIP_PLUS_1 -> in.at(c, r);
          case FLIP_MINUS_1 -> in.at(h - 1 - c, w - 1 - r);
        };
      }
    }
    return new LumaImage(out, ow, oh);
  }

  @ParameterizedTest
  @EnumSource(Dihedral.class)
  void variantFromTheDctMatchesHashingTheTransformedPixels(Dihedral symmetry) throws Exception {
    for (long seed = 1; seed <= 5; seed++) {
      LumaImage picture = new ImageDecoder().decode(TestImages.encode(TestImages.softShapes(640, 600, seed, 6), "png"));
      PdqHasher.Result original = hasher.hash(picture);
      PdqHash direct = hasher.hash(transform(picture, symmetry)).hash();
      // At these sizes both blur windows are odd (5), hence centred, so the filter treats a
      // mirrored picture alike and only float rounding and decimation offsets remain (a wrong symmetry
      // differs in ~128 bits). (Even
      // windows lean half a pixel, which costs a mirrored photo up to ~12 bits: see the
      // conformance test on the bridge photos.)
      assertThat(original.variant(symmetry).distance(direct)).as("seed %d", seed).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void variantsComposeLikeTheSymmetriesOfASquare() {
    qt().forAll(longs().all()).checkAssert(seed -> {
      float[] dct = new float[256];
      Random random = new Random(seed);
      for (int i = 0; i < dct.length; i++) {
        dct[i] = (float) random.nextGaussian();
      }
      assertThat(Dihedral.ROTATE_90.applyTo(Dihedral.ROTATE_90.applyTo(dct)))
          .containsExactly(Dihedral.ROTATE_180.applyTo(dct));
      assertThat(Dihedral.ROTATE_90.applyTo(Dihedral.ROTATE_180.applyTo(dct)))
          .containsExactly(Dihedral.ROTATE_270.applyTo(dct));
      assertThat(Dihedral.FLIP_X.applyTo(Dihedral.FLIP_Y.applyTo(dct)))
          .containsExactly(Dihedral.ROTATE_180.applyTo(dct));
      assertThat(Dihedral.FLIP_PLUS_1.applyTo(Dihedral.FLIP_MINUS_1.applyTo(dct)))
          .containsExactly(Dihedral.ROTATE_180.applyTo(dct));
      for (Dihedral mirror : new Dihedral[] {Dihedral.FLIP_X, Dihedral.FLIP_Y, Dihedral.FLIP_PLUS_1, Dihedral.FLIP_MINUS_1}) {
        assertThat(mirror.applyTo(mirror.applyTo(dct))).containsExactly(dct);
      }
    });
  }

  @Test
  void allEightVariantsOfARealPictureDiffer() throws Exception {
    LumaImage picture = new ImageDecoder().decode(TestImages.encode(TestImages.shapes(256, 192, 11), "png"));
    assertThat(hasher.hash(picture).variants().values()).doesNotHaveDuplicates().hasSize(8);
  }
}
