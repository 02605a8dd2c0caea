package dev.classifier.oip;

/** Client-supplied text as it may appear in an error message: short, printable ASCII. */
public final class Text {

  static final int MAX_ECHO = 64;

  private Text() {}

  public static String clip(String text) {
    StringBuilder clipped = new StringBuilder(Math.min(text.length(), MAX_ECHO) + 1);
    for (int i = 0; i < text.length() && i < MAX_ECHO; i++) {
      char c = text.charAt(i);
      clipped.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.length() > MAX_ECHO ? clipped.append('…').toString() : clipped.toString();
  }
}
