package org.countersignal.server;

import java.util.Locale;
import java.util.Set;

/**
 * The words for what kind of content something is, shared by the content details of a match and
 * the conditions of rules: one vocabulary, so a rule on {@code photo} fires on what a match calls
 * a photo.
 */
public final class ContentTypes {

  /**
   * A still image. The service answers with this word (as the command line, python-threatexchange
   * and HMA do) and takes {@link #IMAGE} for it wherever a content type is given.
   */
  public static final String PHOTO = "photo";
  public static final String IMAGE = "image";
  public static final Set<String> ALL = Set.of(PHOTO, "video", "text", "url", "file", "other");

  private ContentTypes() {}

  /** A content type as given, lower-case, with {@code image} read as {@code photo}; null stays null. */
  public static String canonical(String given) {
    if (given == null) {
      return null;
    }
    String type = given.strip().toLowerCase(Locale.ROOT);
    return IMAGE.equals(type) ? PHOTO : type;
  }
}
