package org.countersignal.signals.text;

/**
 * Folds the spellings of Arabic-script letters that readers take for the same letter onto one
 * form, so a stretched, vowelled or Persian-keyboard spelling of an Arabic text normalises like the
 * plain one. Runs after NFD and mark removal, which already strip harakat and split hamza and
 * madda off their carriers (أ إ آ → ا, ئ → ي, ؤ → و, ۀ → ە). As with {@link Homoglyphs}, the folding
 * applies to all text, so a Persian or Urdu text is folded the same way on both sides of a
 * comparison; the cost is a few extra coincidences between words that differ only in these
 * letters, which shingles absorb.
 */
final class ArabicLetters {

  /** Stands for "drop this character". */
  static final char DROP = 0xFFFF;

  private static final char[] TABLE = new char[0x0700 - 0x0600];

  static {
    map(0x0640, DROP); // tatweel (kashida): stretches a joint, not a letter
    map(0x0671, 0x0627); map(0x0672, 0x0627); map(0x0673, 0x0627); map(0x0675, 0x0627); // alef wasla, wavy hamza forms → alef
    map(0x0649, 0x064A); // alef maksura → yeh
    map(0x06CC, 0x064A); map(0x06D0, 0x064A); map(0x06D2, 0x064A); // Farsi yeh, yeh with a vertical stroke, yeh barree → yeh
    map(0x0629, 0x0647); map(0x06C3, 0x0647); // teh marbuta (Arabic, Urdu goal) → heh
    map(0x06C1, 0x0647); map(0x06BE, 0x0647); map(0x06D5, 0x0647); // heh goal, heh doachashmee, ae → heh
    map(0x06A9, 0x0643); map(0x06AA, 0x0643); // keheh (Persian kaf), swash kaf → kaf
    map(0x06AF, 0x0643); map(0x06AD, 0x0643); // gaf, ng: written as kaf where the keyboard lacks them
    map(0x06BA, 0x0646); // noon ghunna → noon
  }

  private ArabicLetters() {}

  private static void map(int from, int to) {
    TABLE[from - 0x0600] = (char) to;
  }

  /** The common form of {@code c}, {@link #DROP}, or {@code c} itself. */
  static char fold(char c) {
    if (c < 0x0600 || c >= 0x0700) {
      return c;
    }
    char mapped = TABLE[c - 0x0600];
    return mapped == 0 ? c : mapped;
  }
}
