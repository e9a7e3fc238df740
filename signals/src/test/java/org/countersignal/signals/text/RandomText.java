package org.countersignal.signals.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded prose-like text from a synthetic vocabulary, so tests need no corpus. */
final class RandomText {

  private final Random random;
  private final List<String> vocabulary = new ArrayList<>();

  RandomText(long seed) {
    random = new Random(seed);
    Random words = new Random(42);
    String letters = "etaoinshrdlucmfwypvbgkjqxz";
    for (int i = 0; i < 5000; i++) {
      int length = 2 + words.nextInt(8);
      StringBuilder word = new StringBuilder();
      for (int j = 0; j < length; j++) {
        word.append(letters.charAt((int) Math.min(25, Math.abs(words.nextGaussian() * 8))));
      }
      vocabulary.add(word.toString());
    }
  }

  List<String> words(int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      // Skewed choice: frequent words recur as in real prose.
      int index = (int) Math.min(vocabulary.size() - 1, Math.abs(random.nextGaussian()) * 900);
      out.add(vocabulary.get(index));
    }
    return out;
  }

  String text(int count) {
    return String.join(" ", words(count));
  }

  Random random() {
    return random;
  }
}
