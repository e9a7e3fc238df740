package org.countersignal.signals.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrientationTest {

  /** Stored 3 wide, 2 high: 1 2 3 / 4 5 6. */
  private static final LumaImage STORED = new LumaImage(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);

  @Test
  void eachExifFlagTurnsTheStoredPixelsAsAViewerDoes() {
    assertThat(display(1)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(display(2)).containsExactly(3, 2, 1, 6, 5, 4);
    assertThat(display(3)).containsExactly(6, 5, 4, 3, 2, 1);
    assertThat(display(4)).containsExactly(4, 5, 6, 1, 2, 3);
    // 5..8 swap width and height: the displayed image is 2 wide, 3 high.
    assertThat(display(5)).containsExactly(1, 4, 2, 5, 3, 6);
    assertThat(display(6)).containsExactly(4, 1, 5, 2, 6, 3);
    assertThat(display(7)).containsExactly(6, 3, 5, 2, 4, 1);
    assertThat(display(8)).containsExactly(3, 6, 2, 5, 1, 4);
    assertThat(Orientation.fromExif(6).apply(STORED).width()).isEqualTo(2);
  }

  @Test
  void unknownFlagsAreTreatedAsNormal() {
    assertThat(Orientation.fromExif(0)).isEqualTo(Orientation.NORMAL);
    assertThat(Orientation.fromExif(9)).isEqualTo(Orientation.NORMAL);
  }

  @Test
  void aJpegWithoutExifIsNormal() {
    assertThat(Orientation.ofJpeg(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}))
        .isEqualTo(Orientation.NORMAL);
  }

  private static float[] display(int flag) {
    return Orientation.fromExif(flag).apply(STORED).pixels();
  }
}
