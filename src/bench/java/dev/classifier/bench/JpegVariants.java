package dev.classifier.bench;

/**
 * Distinct bytes of one JPEG: a COM segment carrying {@code n} right after SOI, which decoders
 * skip, so every variant costs the same to decode and classify and hashes differently.
 */
final class JpegVariants {

  private JpegVariants() {}

  static byte[] of(byte[] jpeg, long n) {
    byte[] text = Long.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int length = text.length + 2;
    byte[] out = new byte[jpeg.length + 2 + length];
    out[0] = jpeg[0];
    out[1] = jpeg[1];
    out[2] = (byte) 0xFF;
    out[3] = (byte) 0xFE;
    out[4] = (byte) (length >>> 8);
    out[5] = (byte) length;
    System.arraycopy(text, 0, out, 6, text.length);
    System.arraycopy(jpeg, 2, out, 6 + text.length, jpeg.length - 2);
    return out;
  }
}
