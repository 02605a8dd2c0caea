package dev.classifier.image;

import java.awt.image.BufferedImage;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Optional fast path for plain JPEGs through libjpeg-turbo's Java binding (Debian:
 * libturbojpeg-java), found at run time and called reflectively so that the service builds and runs
 * without it. It is worth having for two reasons: SIMD decoding is several times faster than the
 * JDK's libjpeg 6b, and DCT-domain scaling (any of 1/8, 2/8 ... 7/8) both skips inverse DCT and
 * colour-conversion work and filters properly, where ImageIO's source subsampling decodes
 * everything and then drops pixels.
 *
 * <p>Only the easy cases come here: YCbCr, RGB or grey JPEGs without an ICC profile (TurboJPEG does
 * no colour management). Anything it cannot decode cleanly, including files it merely warns about,
 * returns {@code null} and goes to the ImageIO path, which remains the judge of what is corrupt.
 * TurboJPEG cannot be interrupted, so what it may cost is bounded before it runs: the structure
 * scan limits the pixels and the scans (see {@link ImageLimits#maxJpegScans()}), and the decode
 * stops at the first warning and at libjpeg-turbo's own scan limit.
 */
final class NativeJpeg {

  private static final System.Logger LOG = System.getLogger(NativeJpeg.class.getName());

  /**
   * TJ.FLAG_STOPONWARNING: a file TurboJPEG warns about goes to ImageIO at once instead of after a
   * full decode. TJ.FLAG_LIMITSCANS: libjpeg-turbo refuses JPEGs of more than 500 scans itself.
   */
  private static final int FLAGS = 8192 | 32768;

  /**
   * Bindings by jar, loaded at most once each: the JVM binds a JNI library to one class loader for
   * the life of the process, so the binding is process-wide whatever holds it.
   */
  private static final Map<Path, Optional<NativeJpeg>> LOADED = new ConcurrentHashMap<>();

  private static final int CS_RGB = 0;
  private static final int CS_YCBCR = 1;
  private static final int CS_GRAY = 2;

  /** Stored size and the (possibly scaled) decoded image. */
  record Result(BufferedImage image, int storedWidth, int storedHeight) {}

  private final MethodHandle create;
  private final MethodHandle width;
  private final MethodHandle height;
  private final MethodHandle colorspace;
  private final MethodHandle decompress;
  private final MethodHandle close;

  private NativeJpeg(Class<?> decompressor) throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    create =
        lookup.findConstructor(
            decompressor, MethodType.methodType(void.class, byte[].class, int.class));
    width = lookup.findVirtual(decompressor, "getWidth", MethodType.methodType(int.class));
    height = lookup.findVirtual(decompressor, "getHeight", MethodType.methodType(int.class));
    colorspace =
        lookup.findVirtual(decompressor, "getColorspace", MethodType.methodType(int.class));
    decompress =
        lookup.findVirtual(
            decompressor,
            "decompress",
            MethodType.methodType(BufferedImage.class, int.class, int.class, int.class, int.class));
    close = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class));
  }

  /**
   * The binding from {@code jar}, if the jar and native library are installed; immutable once
   * loaded. A path that is not a file turns the fast path off.
   */
  static Optional<NativeJpeg> shared(Path jar) {
    if (!Files.isRegularFile(jar)) {
      LOG.log(
          System.Logger.Level.INFO,
          "TurboJPEG not found at {0}; decoding JPEG with ImageIO only",
          jar);
      return Optional.empty();
    }
    return LOADED.computeIfAbsent(jar.toAbsolutePath().normalize(), NativeJpeg::load);
  }

  private static Optional<NativeJpeg> load(Path jar) {
    if (!Files.isRegularFile(jar)) {
      LOG.log(
          System.Logger.Level.INFO,
          "TurboJPEG not found at {0}; decoding JPEG with ImageIO only",
          jar);
      return Optional.empty();
    }
    try {
      URLClassLoader loader =
          new URLClassLoader(new URL[] {jar.toUri().toURL()}, NativeJpeg.class.getClassLoader());
      Class<?> decompressor =
          Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader);
      NativeJpeg binding = new NativeJpeg(decompressor);
      // Load the JNI library now rather than on the first request, so a missing libturbojpeg.so
      // shows here.
      binding.close.invoke(decompressor.getConstructor().newInstance());
      LOG.log(System.Logger.Level.INFO, "TurboJPEG fast path enabled from {0}", jar);
      return Optional.of(binding);
    } catch (Throwable e) {
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "TurboJPEG at " + jar + " unusable; decoding JPEG with ImageIO only",
          e);
      return Optional.empty();
    }
  }

  /**
   * Decodes {@code bytes[0, length)} at the smallest DCT scale of {@link #eighths} that keeps both
   * sides at or above the target, or returns {@code null} when this JPEG should go to ImageIO
   * instead. The caller has scanned the structure: the size is within the pixel limit and matches
   * {@code expectedWidth} x {@code expectedHeight}.
   */
  Result decode(
      byte[] bytes,
      int length,
      int expectedWidth,
      int expectedHeight,
      int targetWidth,
      int targetHeight) {
    Object tj = null;
    try {
      tj = create.invoke(bytes, length);
      int w = (int) width.invoke(tj);
      int h = (int) height.invoke(tj);
      int cs = (int) colorspace.invoke(tj);
      if (w != expectedWidth
          || h != expectedHeight
          || (cs != CS_YCBCR && cs != CS_GRAY && cs != CS_RGB)) {
        return null;
      }
      int eighths = eighths(w, h, targetWidth, targetHeight);
      int scaledWidth = scaled(w, eighths);
      int scaledHeight = scaled(h, eighths);
      BufferedImage image =
          (BufferedImage)
              decompress.invoke(tj, scaledWidth, scaledHeight, BufferedImage.TYPE_3BYTE_BGR, FLAGS);
      if (image.getWidth() != scaledWidth || image.getHeight() != scaledHeight) {
        return null;
      }
      return new Result(image, w, h);
    } catch (Throwable e) {
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      return null;
    } finally {
      closeQuietly(tj);
    }
  }

  /**
   * The DCT scale, in eighths, for a {@code width x height} JPEG and a {@code targetWidth x
   * targetHeight} tensor: the smallest of 1/8 ... 8/8 whose scaled size still covers the target on
   * both axes, so the resize after it always shrinks (or keeps) and never enlarges. libjpeg-turbo
   * decodes at any of these (TurboJPEG's scaling factors) with an inverse DCT of that many points
   * per 8x8 block: a 640x480 photo for a 299x299 tensor is decoded at 5/8, 400x300, which costs a
   * smaller inverse DCT, colour conversion and resize than the full 640x480 would, and low-passes
   * in the frequency domain rather than dropping pixels.
   */
  static int eighths(int width, int height, int targetWidth, int targetHeight) {
    for (int eighths = 1; eighths < 8; eighths++) {
      if (scaled(width, eighths) >= targetWidth && scaled(height, eighths) >= targetHeight) {
        return eighths;
      }
    }
    return 8;
  }

  /** A side scaled by {@code eighths}/8, rounded up as libjpeg-turbo rounds it (TJSCALED). */
  static int scaled(int side, int eighths) {
    return (int) (((long) side * eighths + 7) / 8);
  }

  private void closeQuietly(Object tj) {
    if (tj != null) {
      try {
        close.invoke(tj);
      } catch (Throwable ignored) {
        // Closing frees the native handle; a failure here leaves it to TJDecompressor's finalizer.
      }
    }
  }
}
