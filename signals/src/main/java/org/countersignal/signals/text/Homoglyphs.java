package org.countersignal.signals.text;

/**
 * Folds letters that look like Latin letters onto them, so that a word typed with Cyrillic or
 * Greek look-alikes ("маnifеstо") normalises like the plain Latin word. Runs after NFKC (which
 * already folds full-width and mathematical alphanumeric forms) and after case folding and
 * removal of combining marks, so only lowercase base letters need entries. A genuine Cyrillic or
 * Greek text is folded the same way on both sides of a comparison, so it still matches itself.
 */
final class Homoglyphs {

  private static final char[] TABLE = new char[0x10000];

  static {
    // Cyrillic lowercase look-alikes.
    map("а", 'a'); map("в", 'b'); map("г", 'r'); map("е", 'e'); map("ё", 'e');
    map("з", '3'); map("к", 'k'); map("м", 'm'); map("н", 'h'); map("о", 'o');
    map("п", 'n'); map("р", 'p'); map("с", 'c'); map("т", 't'); map("у", 'y'); map("х", 'x');
    map("ь", 'b'); map("ѕ", 's'); map("і", 'i'); map("ї", 'i'); map("ј", 'j'); map("һ", 'h');
    map("ԁ", 'd'); map("ԛ", 'q'); map("ԝ", 'w'); map("ӏ", 'l'); map("ү", 'y'); map("ҫ", 'c');
    map("ɡ", 'g'); map("ɑ", 'a'); map("ı", 'i'); map("ȷ", 'j'); map("ℓ", 'l');
    // Greek lowercase look-alikes (after case folding, capitals arrive here too).
    map("α", 'a'); map("β", 'b'); map("γ", 'y'); map("ε", 'e'); map("η", 'n'); map("ι", 'i');
    map("κ", 'k'); map("μ", 'u'); map("ν", 'v'); map("ο", 'o'); map("ρ", 'p'); map("τ", 't');
    map("υ", 'u'); map("χ", 'x'); map("ω", 'w'); map("ζ", 'z'); map("σ", 'o'); map("ς", 'c');
    // Armenian and Latin-extended letters used in spoofing.
    map("օ", 'o'); map("ս", 'u'); map("ց", 'g'); map("ո", 'n'); map("հ", 'h'); map("ɩ", 'i');
    map("ʏ", 'y'); map("ᴀ", 'a'); map("ʙ", 'b'); map("ᴄ", 'c'); map("ᴅ", 'd'); map("ᴇ", 'e');
    map("ɢ", 'g'); map("ʜ", 'h'); map("ɪ", 'i'); map("ᴊ", 'j'); map("ᴋ", 'k'); map("ʟ", 'l');
    map("ᴍ", 'm'); map("ɴ", 'n'); map("ᴏ", 'o'); map("ᴘ", 'p'); map("ʀ", 'r'); map("ꜱ", 's');
    map("ᴛ", 't'); map("ᴜ", 'u'); map("ᴠ", 'v'); map("ᴡ", 'w'); map("ᴢ", 'z');
  }

  private Homoglyphs() {}

  private static void map(String from, char to) {
    TABLE[from.charAt(0)] = to;
  }

  /** The Latin letter {@code c} imitates, or {@code c} itself. */
  static char fold(char c) {
    if (c < 0x80) {
      return c;
    }
    char mapped = TABLE[c];
    return mapped == 0 ? c : mapped;
  }
}
