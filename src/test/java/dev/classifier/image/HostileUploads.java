package dev.classifier.image;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The hostile and at-limit inputs that tests and the benchmark outside this package send to a
 * running service as whole uploads; the builders themselves stay package-private in {@link
 * HostileImages} and {@link SyntheticJpegs}.
 */
public final class HostileUploads {

  private HostileUploads() {}

  /**
   * A valid {@code width x height} RGB PNG carrying a zTXt chunk that inflates to 1 GiB of zeros
   * (about 1 MiB on the wire): classified if the text is never inflated.
   */
  public static byte[] pngWithGibZtxt(int width, int height) {
    return HostileImages.pngWith(
        HostileImages.flatPng(width, height, 2, 128),
        HostileImages.ztxt(HostileImages.zlibZeros(16)));
  }

  /**
   * A PNG whose header declares {@code width x height} pixels over one row of data: refused from
   * the header if the pixel limit is checked before decoding.
   */
  public static byte[] pngDeclaring(int width, int height) {
    byte[] png = HostileImages.flatPng(1, 1, 2, 128);
    // IHDR's data starts at 16 (signature, length, type); its CRC covers type and data.
    ByteBuffer.wrap(png, 16, 8).putInt(width).putInt(height);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
    return png;
  }

  /** A 2000 x 2000 grey progressive JPEG of a DC scan and {@code acScans} identical AC scans. */
  public static byte[] jpegWithScans(int acScans) {
    return SyntheticJpegs.grey(2000, 2000, SyntheticJpegs.repeatedAcScan(acScans));
  }

  /** A 24-bit BMP of one grey: 3 bytes per pixel, the most body per pixel. */
  public static byte[] bmp24(int width, int height) {
    return HostileImages.bmp24(width, height, 128, 128, 128);
  }

  /** A 1-bit BMP: the most pixels per byte of body an uncompressed format allows. */
  public static byte[] bmp1(int width, int height) {
    return HostileImages.bmp1(width, height);
  }
}
