package org.countersignal.bench.text;

import java.util.Random;

/**
 * Re-spells Arabic-script text the ways that keep it readable but change its characters: tatweel
 * (kashida) inside words, harakat, hamza forms of alef, alef maksura for final yeh, teh marbuta and
 * heh swapped, Persian/Urdu letter forms for Arabic ones and back, and Arabic-Indic digits.
 */
final class ArabicSpelling {

  private ArabicSpelling() {}

  static String apply(String text, Random random) {
    StringBuilder out = new StringBuilder(text.length() * 2);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean last = i + 1 == text.length() || !Character.isLetter(text.charAt(i + 1));
      out.append(respell(c, last, random));
      if (isJoiningLetter(c) && !last) {
        if (random.nextInt(10) == 0) {
          out.append('\u0640'); // tatweel stretches the joint
        }
        if (random.nextInt(5) == 0) {
          out.append((char) (0x064B + random.nextInt(8))); // a haraka: fathatan .. sukun
        }
      }
    }
    return out.toString();
  }

  private static char respell(char c, boolean last, Random random) {
    boolean swap = random.nextInt(3) == 0;
    if (c >= '0' && c <= '9') {
      return (char) ((random.nextBoolean() ? 0x0660 : 0x06F0) + (c - '0'));
    }
    if (!swap) {
      return c;
    }
    return switch (c) {
      case '\u0627' -> "\u0623\u0625\u0622\u0671".charAt(random.nextInt(4)); // alef -> hamza, madda, wasla forms
      case '\u064A' -> last ? '\u0649' : '\u06CC'; // yeh -> alef maksura at the end, Farsi yeh inside
      case '\u06CC' -> last ? '\u06D2' : '\u064A'; // Farsi yeh -> yeh barree at the end, Arabic yeh inside
      case '\u0629' -> '\u0647'; // teh marbuta -> heh
      case '\u0647' -> last ? '\u0629' : "\u06C1\u06BE".charAt(random.nextInt(2)); // heh -> teh marbuta, heh goal, do-chashmi
      case '\u0643' -> '\u06A9'; // kaf -> keheh
      case '\u06A9' -> '\u0643';
      default -> c;
    };
  }

  private static boolean isJoiningLetter(char c) {
    return c >= 0x0620 && c <= 0x064A || c >= 0x066E && c <= 0x06D3;
  }
}
