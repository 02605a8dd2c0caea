package dev.classifier.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one image may cost before and while it is decoded. Every length, count or offset field of an
 * upload that would drive an allocation or a loop is checked against these limits (and against the
 * upload's own length) before any decoder sees the bytes, so that a small file cannot make the
 * service allocate or compute without bound.
 *
 * @param maxPixels the largest width × height accepted, read from the header before decoding (413
 *     beyond it)
 * @param maxDecodeTime CPU time the decoding thread may spend inside an ImageIO reader before the
 *     read is aborted and the image refused as corrupt. The last line of defence: the structure
 *     limits below already bound the work; it cannot interrupt TurboJPEG, which the scan limit
 *     bounds instead. Thread CPU time rather than wall time, so that a busy machine does not turn
 *     slow but honest decodes into refusals. The default, 5 s, is five times the slowest honest
 *     decode at the 50 MP limit measured here (a lossless WebP, 0.9 s) and cuts off what the
 *     structure limits leave to the upload size: a 20 MB GIF of one LZW clear code per pixel would
 *     take the JDK's reader about 6.5 s.
 * @param maxIccProfileBytes the largest embedded ICC profile used, after inflating (PNG iCCP, with
 *     the inflater bounded by its output) or assembling (JPEG APP2 chunks); also TIFF, WebP and BMP
 *     profiles. A larger profile is not read at all and the image is decoded as if it had none
 *     (sRGB, or the reader's generic CMYK). RGB and grey display and camera profiles are 0.5-4 KB
 *     (sRGB 3 KB, Adobe RGB 0.5 KB), LUT-based ones tens of KB and CMYK press profiles such as U.S.
 *     Web Coated (SWOP) v2 about 0.5 MB; the 1 MiB default keeps all of them and costs at most a
 *     few MiB per image.
 * @param maxJpegScans the most scans (SOS markers) a JPEG may have. libjpeg revisits every block of
 *     a component in every scan, even one that carries no data, so a progressive JPEG with
 *     thousands of near-empty scans is a CPU bomb that TurboJPEG cannot be interrupted in.
 *     libjpeg's own progressive script has 10 scans for colour (6 for grey) and common encoders
 *     stay near that; 64 leaves room for custom scripts. The most expensive scripts within it cost
 *     a 50 MP grey image 0.8 s on TurboJPEG and 0.15 s on ImageIO (JpegScanCostBench), about three
 *     times that with three full-resolution components.
 * @param maxChunks the most chunks (PNG, WebP RIFF), marker segments (JPEG), blocks before the
 *     first frame (GIF) or directory entries (TIFF IFD0, EXIF IFD0) a file may have. Real files
 *     have tens to a few thousand (a 20 MB PNG in 8 KB IDAT chunks has 2,500); the limit keeps each
 *     container walk short.
 * @param turboJpegJar the libjpeg-turbo Java binding ({@code turbojpeg.jar}) to load for the JPEG
 *     fast path; a path that does not exist turns the fast path off
 */
public record ImageLimits(
    long maxPixels,
    Duration maxDecodeTime,
    int maxIccProfileBytes,
    int maxJpegScans,
    int maxChunks,
    Path turboJpegJar) {

  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
  public static final Duration DEFAULT_MAX_DECODE_TIME = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_ICC_PROFILE_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_JPEG_SCANS = 64;
  public static final int DEFAULT_MAX_CHUNKS = 100_000;

  /** Debian's location of libturbojpeg-java. */
  public static final Path DEFAULT_TURBOJPEG_JAR = Path.of("/usr/share/java/turbojpeg.jar");

  public ImageLimits {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
    }
    Objects.requireNonNull(maxDecodeTime, "maxDecodeTime");
    if (maxDecodeTime.isNegative() || maxDecodeTime.isZero()) {
      throw new IllegalArgumentException("maxDecodeTime must be positive: " + maxDecodeTime);
    }
    if (maxIccProfileBytes < 0) {
      throw new IllegalArgumentException(
          "maxIccProfileBytes must not be negative: " + maxIccProfileBytes);
    }
    if (maxJpegScans < 1) {
      throw new IllegalArgumentException("maxJpegScans must be at least 1: " + maxJpegScans);
    }
    if (maxChunks < 16) {
      throw new IllegalArgumentException("maxChunks must be at least 16: " + maxChunks);
    }
    Objects.requireNonNull(turboJpegJar, "turboJpegJar");
  }

  /** The defaults above. */
  public static ImageLimits defaults() {
    return new ImageLimits(
        DEFAULT_MAX_PIXELS,
        DEFAULT_MAX_DECODE_TIME,
        DEFAULT_MAX_ICC_PROFILE_BYTES,
        DEFAULT_MAX_JPEG_SCANS,
        DEFAULT_MAX_CHUNKS,
        DEFAULT_TURBOJPEG_JAR);
  }

  public ImageLimits withMaxPixels(long pixels) {
    return new ImageLimits(
        pixels, maxDecodeTime, maxIccProfileBytes, maxJpegScans, maxChunks, turboJpegJar);
  }

  public ImageLimits withMaxDecodeTime(Duration time) {
    return new ImageLimits(
        maxPixels, time, maxIccProfileBytes, maxJpegScans, maxChunks, turboJpegJar);
  }

  public ImageLimits withTurboJpegJar(Path jar) {
    return new ImageLimits(
        maxPixels, maxDecodeTime, maxIccProfileBytes, maxJpegScans, maxChunks, jar);
  }
}
