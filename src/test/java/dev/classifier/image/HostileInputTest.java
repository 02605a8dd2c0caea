package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.Reason.CORRUPT;
import static dev.classifier.image.ImageRejectedException.Reason.TOO_MANY_PIXELS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.image.ImageRejectedException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression tests for the attacker findings of issue 11: metadata bombs and forged length fields
 * of every format end as a PreparedImage or an ImageRejectedException with the exact reason, within
 * a CPU time and an allocation bound far below what the bomb would cost if it were read. Inputs are
 * generated here; both JPEG paths are used where the native one is installed.
 */
@Timeout(120)
class HostileInputTest {

  private static final int SIZE = 299;

  /** Generous for a shared machine: thread CPU time is not inflated by other processes. */
  private static final long CPU_MS = 1000;

  private static final long ALLOCATED_MIB = 24;

  private static byte[] zlib64Mib;
  private static byte[] zlib1Gib;

  private final ImageLimits limits = ImageLimits.defaults();
  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(limits, new MemoryBudget(512L << 20));
  private final ImagePreprocessor imageIoOnly =
      new ImagePreprocessor(limits, new MemoryBudget(512L << 20), false);

  @BeforeAll
  static void bombs() {
    zlib64Mib = HostileImages.zlibZeros(1);
    zlib1Gib = HostileImages.zlibZeros(16);
  }

  @Test
  void theBombsReallyInflateToWhatTheyClaim() throws Exception {
    Inflater inflater = new Inflater();
    inflater.setInput(zlib64Mib);
    byte[] out = new byte[1 << 20];
    long total = 0;
    while (!inflater.finished()) {
      total += inflater.inflate(out);
    }
    inflater.end();
    assertThat(total).isEqualTo(64L << 20);
    // 1 GB of zeros in about 1 MB, what the 1.2 MB PNG carried in its zTXt chunk: the same
    // byte-aligned 64 MiB run sixteen times (inflating it here would cost seconds per build).
    int run = zlib64Mib.length - 2 - 2 - 4;
    assertThat(zlib1Gib.length).isEqualTo(2 + 16 * run + 2 + 4).isLessThan(1_200_000);
  }

  /** Decodes on both paths; they must agree. Returns the outcome of the default one. */
  private Costs.Measured<PreparedImage> prepare(byte[] bytes) {
    Costs.Measured<PreparedImage> viaDefault =
        Costs.of(
            () ->
                preprocessor.prepare(
                    bytes, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF)));
    Costs.Measured<PreparedImage> viaImageIo =
        Costs.of(
            () ->
                imageIoOnly.prepare(
                    bytes, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF)));
    for (Costs.Measured<PreparedImage> m : Arrays.asList(viaDefault, viaImageIo)) {
      assertThat(m.cpuMillis()).as("CPU ms").isLessThan(CPU_MS);
      assertThat(m.allocatedMib()).as("allocated MiB").isLessThan(ALLOCATED_MIB);
    }
    assertThat(reason(viaImageIo)).isEqualTo(reason(viaDefault));
    return viaDefault;
  }

  private static Reason reason(Costs.Measured<?> m) {
    return m.thrown() instanceof ImageRejectedException e ? e.reason() : null;
  }

  private PreparedImage accepted(byte[] bytes) {
    Costs.Measured<PreparedImage> m = prepare(bytes);
    assertThat(m.thrown()).isNull();
    return m.value();
  }

  private String rejected(byte[] bytes, Reason reason) {
    Costs.Measured<PreparedImage> m = prepare(bytes);
    assertThat(m.thrown()).isInstanceOf(ImageRejectedException.class);
    assertThat(((ImageRejectedException) m.thrown()).reason()).isEqualTo(reason);
    return m.thrown().getMessage();
  }

  /** The tensor at (x, y) holds exactly the levels r, g, b (x / 127.5 - 1). */
  private static void assertLevels(PreparedImage image, int x, int y, int r, int g, int b) {
    int i = (y * SIZE + x) * 3;
    assertThat(Arrays.copyOfRange(image.pixels(), i, i + 3))
        .containsExactly(TestImages.expected(r), TestImages.expected(g), TestImages.expected(b));
  }

  private static byte[] png() {
    return TestImages.encode(TestImages.solid(64, 48, 0x3366CC), "png");
  }

  private static float[] pixels(byte[] bytes) {
    return new ImagePreprocessor(ImageLimits.defaults(), new MemoryBudget(512L << 20))
        .prepare(bytes, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF))
        .pixels();
  }

  // ---- PNG

  @Test
  void pngZtxtInflatingTo64MibOr1GibIsNeverInflated() {
    byte[] plain = png();
    for (byte[] bomb : new byte[][] {zlib64Mib, zlib1Gib}) {
      PreparedImage image = accepted(HostileImages.pngWith(plain, HostileImages.ztxt(bomb)));
      assertThat(image.info()).isEqualTo(new ImageInfo("png", 64, 48));
      assertThat(image.pixels()).isEqualTo(pixels(plain));
    }
  }

  @Test
  void pngItxtBombIsNeverInflated() {
    byte[] plain = png();
    PreparedImage image = accepted(HostileImages.pngWith(plain, HostileImages.itxt(zlib1Gib)));
    assertThat(image.pixels()).isEqualTo(pixels(plain));
  }

  @Test
  void pngIccpBombIsInflatedOnlyUpToTheProfileLimitAndTheImageDecodesAsSrgb() {
    byte[] plain = png();
    PreparedImage image = accepted(HostileImages.pngWith(plain, HostileImages.iccp(zlib1Gib)));
    assertThat(image.pixels()).isEqualTo(pixels(plain));
    assertThat(PngColorProfile.inflate(zlib1Gib, 0, zlib1Gib.length, 1 << 20)).isNull();
  }

  @Test
  void palettePngWithEveryBombDecodes() {
    byte[] plain = HostileImages.flatPng(64, 48, 3, 7);
    byte[] bombed =
        HostileImages.pngWith(
            plain,
            HostileImages.ztxt(zlib1Gib),
            HostileImages.itxt(zlib64Mib),
            HostileImages.iccp(zlib1Gib),
            HostileImages.chunk("eXIf", new byte[1 << 20]));
    PreparedImage image = accepted(bombed);
    assertThat(image.info()).isEqualTo(new ImageInfo("png", 64, 48));
    assertThat(image.pixels()).isEqualTo(pixels(plain));
    // Palette entry 7 is (7, 248, 3).
    assertLevels(image, 10, 10, 7, 248, 3);
  }

  @Test
  void pngWithMoreChunksThanTheLimitIsCorrupt() {
    byte[] tiny = HostileImages.chunk("tEXt", HostileImages.ascii("a\0b"));
    byte[][] many = new byte[limits.maxChunks()][];
    Arrays.fill(many, tiny);
    assertThat(rejected(HostileImages.pngWith(png(), many), CORRUPT))
        .isEqualTo("png image has more than 100000 chunks");
  }

  @Test
  void pngChunkLengthPastTheEndIsCorrupt() {
    byte[] forged = HostileImages.pngWith(png(), HostileImages.chunk("tEXt", new byte[4]));
    ByteBuffer.wrap(forged, 33, 4).putInt(0x7FFFFFF0);
    assertThat(rejected(forged, CORRUPT))
        .isEqualTo("png image is truncated: a chunk of 2147483632 bytes runs past the end");
  }

  // ---- JPEG

  private static byte[] jpeg() {
    return TestImages.encode(TestImages.solid(64, 48, 0x3366CC), "jpeg");
  }

  @Test
  void jpegWithA16MibMultiChunkIccProfileDecodesAsSrgbWithoutAssemblingIt() {
    byte[] plain = jpeg();
    byte[] profile = new byte[16 << 20];
    new Random(3).nextBytes(profile);
    byte[] bombed = HostileImages.jpegWithIcc(plain, profile);
    assertThat(bombed.length).isGreaterThan(16 << 20);
    JpegHeader header = JpegScanner.scan(EncodedImage.of(bombed), limits).jpeg();
    assertThat(header.segments()).isEqualTo(new JpegSegments(1, false));
    PreparedImage image = accepted(bombed);
    assertThat(image.pixels()).isEqualTo(pixels(plain));
  }

  /** A real profile (the JDK's linear RGB one) whose header claims {@code declared} bytes. */
  private static byte[] profileDeclaring(long declared) {
    byte[] profile =
        java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
    ByteBuffer.wrap(profile).putInt((int) declared);
    return profile;
  }

  @Test
  void anIccProfileWhoseHeaderDeclaresMoreThanItHoldsIsNeverRead() {
    // Found by fuzzing: TwelveMonkeys and the JDK allocate the declared size before reading.
    byte[] plain = jpeg();
    PreparedImage image = accepted(HostileImages.jpegWithIcc(plain, profileDeclaring(0x7FFFFFFFL)));
    assertThat(image.pixels()).isEqualTo(pixels(plain));
    byte[] lossless = HostileImages.zeroBitWebp(40, 30);
    ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    vp8x.put((byte) 0x20).put(new byte[3]).put(new byte[] {39, 0, 0, 29, 0, 0});
    byte[] webp =
        HostileImages.riff(
            HostileImages.webpChunk("VP8X", vp8x.array()),
            HostileImages.webpChunk("ICCP", profileDeclaring(0x7FFFFFFFL)),
            Arrays.copyOfRange(lossless, 12, lossless.length));
    assertLevels(accepted(webp), 100, 100, 0, 0, 0);
    byte[] tiff =
        TiffBuilder.rgb(40, 30, 10, 200, 30).bytes(34675, 7, profileDeclaring(0x7FFFFFFFL)).build();
    assertLevels(accepted(tiff), 100, 100, 10, 200, 30);
  }

  @Test
  void jpegWithThousandsOfScansIsRefusedBeforeDecoding() {
    byte[] bomb = SyntheticJpegs.grey(2000, 2000, SyntheticJpegs.repeatedAcScan(5000));
    assertThat(rejected(bomb, CORRUPT))
        .isEqualTo("jpeg image has more than 64 scans (classifier.image.max-jpeg-scans)");
  }

  @Test
  void jpegAtTheScanLimitDecodes() {
    // 64 scans: a DC scan and 63 AC scans, as many as the limit allows.
    byte[] atLimit = SyntheticJpegs.grey(1000, 1000, SyntheticJpegs.repeatedAcScan(63));
    PreparedImage image = accepted(atLimit);
    assertThat(image.info()).isEqualTo(new ImageInfo("jpeg", 1000, 1000));
    // Every coefficient is zero: mid grey (128) everywhere.
    assertLevels(image, 150, 150, 128, 128, 128);
  }

  @Test
  void jpegWithAnInvalidProgressionIsCorrupt() {
    // A DC scan must cover coefficient 0 only (Ss = 0 requires Se = 0).
    byte[] bad = SyntheticJpegs.grey(64, 64, new SyntheticJpegs.Scan(0, 5, 0, 0));
    assertThat(rejected(bad, CORRUPT)).isEqualTo("jpeg image has an invalid progressive scan");
  }

  @Test
  void jpegSegmentLengthPastTheEndIsCorrupt() {
    byte[] forged = HostileImages.jpegWithIcc(jpeg(), new byte[100]);
    forged[4] = (byte) 0xFF;
    forged[5] = (byte) 0xF0;
    assertThat(rejected(forged, CORRUPT))
        .isEqualTo("jpeg image has a marker segment 0xE2 of 65520 bytes that runs past the end");
  }

  // ---- TIFF

  @Test
  void tiffWithATileFarLargerThanTheImageIsRefusedBeforeTheTileIsAllocated() {
    byte[] tiff =
        TiffBuilder.rgb(300, 300, 1, 2, 3)
            .remove(273)
            .remove(278)
            .remove(279)
            .longs(322, 65536)
            .longs(323, 65536)
            .longs(324, 8)
            .longs(325, 300 * 300 * 3)
            .build();
    assertThat(rejected(tiff, CORRUPT))
        .isEqualTo("tiff image has tiles of 65536x65536 for a 300x300 image");
  }

  @Test
  void tiffWithAHugeCountOnATagTheDecoderDoesNotNeedDecodes() {
    // XMP (700) claiming 2^31 - 1 bytes at offset 8: outside the file, and never read.
    byte[] tiff = TiffBuilder.rgb(40, 30, 10, 200, 30).forged(700, 7, 0x7FFFFFFFL, 8).build();
    PreparedImage image = accepted(tiff);
    assertThat(image.info()).isEqualTo(new ImageInfo("tiff", 40, 30));
    assertLevels(image, 100, 100, 10, 200, 30);
  }

  @Test
  void tiffWithAHugeCountOnAPixelTagIsCorrupt() {
    byte[] tiff = TiffBuilder.rgb(40, 30, 10, 200, 30).forged(258, 3, 0x10000000L, 8).build();
    assertThat(rejected(tiff, CORRUPT)).isEqualTo("tiff image has a malformed BitsPerSample");
    byte[] entries = TiffBuilder.rgb(40, 30, 10, 200, 30).build();
    // An entry count over the limit.
    ByteBuffer.wrap(entries, 8, 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xFFFF);
    assertThat(rejected(entries, CORRUPT))
        .isEqualTo("tiff image directory of 65535 entries runs past the end");
  }

  @Test
  void tiffDirectoryLoopsAndSubDirectoriesAreNeverFollowed() {
    // IFD0 links to itself, and its EXIF and SubIFD pointers point back at it too.
    byte[] tiff =
        TiffBuilder.rgb(40, 30, 10, 200, 30).longs(34665, 8).longs(330, 8).nextIfd(8).build();
    assertThat(accepted(tiff).info()).isEqualTo(new ImageInfo("tiff", 40, 30));
  }

  @Test
  void tiffWithForgedStripOffsetsOrCountsIsCorrupt() {
    byte[] offset = TiffBuilder.rgb(40, 30, 1, 2, 3).remove(273).longs(273, 0x7FFFFFF0L).build();
    assertThat(rejected(offset, CORRUPT))
        .isEqualTo("tiff image has strip or tile 0 outside the file");
    byte[] count = TiffBuilder.rgb(40, 30, 1, 2, 3).longs(279, 0x7FFFFFF0L).build();
    assertThat(rejected(count, CORRUPT))
        .isEqualTo("tiff image has strip or tile 0 outside the file");
    byte[] missing = TiffBuilder.rgb(40, 30, 1, 2, 3).longs(278, 1).build();
    assertThat(rejected(missing, CORRUPT))
        .isEqualTo("tiff image declares fewer strip or tile offsets than its 30 pieces");
  }

  @Test
  void tiffClaimingHugeDimensionsIsRefusedFromTheDirectory() {
    byte[] tiff = TiffBuilder.rgb(40, 30, 1, 2, 3).longs(256, 100_000).longs(257, 100_000).build();
    assertThat(rejected(tiff, TOO_MANY_PIXELS)).startsWith("image of 100000x100000 pixels");
  }

  // ---- BMP

  @Test
  void bmpWithForgedSizesIsCorrupt() {
    byte[] offset = HostileImages.bmp24(40, 30, 1, 2, 3);
    ByteBuffer.wrap(offset, 10, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFFFFF0);
    assertThat(rejected(offset, CORRUPT))
        .isEqualTo("bmp image has its pixel data at 2147483632, outside the file");

    byte[] rle = HostileImages.bmp24(40, 30, 1, 2, 3);
    ByteBuffer header = ByteBuffer.wrap(rle).order(ByteOrder.LITTLE_ENDIAN);
    header.putShort(28, (short) 8).putInt(30, 1).putInt(34, 0x7FFFFFF0);
    assertThat(rejected(rle, CORRUPT))
        .startsWith("bmp image declares 2147483632 bytes of RLE data");

    byte[] colours = HostileImages.bmp24(40, 30, 1, 2, 3);
    ByteBuffer fields = ByteBuffer.wrap(colours).order(ByteOrder.LITTLE_ENDIAN);
    fields.putInt(10, 66).putShort(28, (short) 32).putInt(30, 3).putInt(46, 0x40000000);
    assertThat(rejected(colours, CORRUPT)).startsWith("bmp image declares 1073741824 colours");

    byte[] huge = HostileImages.bmp24(40, 30, 1, 2, 3);
    ByteBuffer.wrap(huge, 18, 8).order(ByteOrder.LITTLE_ENDIAN).putInt(100_000).putInt(100_000);
    assertThat(rejected(huge, TOO_MANY_PIXELS)).startsWith("image of 100000x100000 pixels");
  }

  @Test
  void bmpWithAForgedEmbeddedProfileDecodesAsSrgb() {
    // A profile of 2^31 - 1 bytes, and one at an offset past the end of the file.
    for (int[] profile : new int[][] {{124, 0x7FFFFFFF}, {0x7FFFFF00, 3000}}) {
      byte[] bmp = HostileImages.bmpV5WithProfile(40, 30, profile[0], profile[1], new byte[16]);
      PreparedImage image = accepted(bmp);
      assertThat(image.info()).isEqualTo(new ImageInfo("bmp", 40, 30));
      assertLevels(image, 100, 100, 128, 128, 128);
    }
  }

  @Test
  void bmpEmbeddingAPngIsRefused() {
    byte[] bmp = HostileImages.bmp24(40, 30, 1, 2, 3);
    ByteBuffer.wrap(bmp, 30, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(5);
    assertThat(rejected(bmp, CORRUPT))
        .isEqualTo("bmp image embeds a JPEG or PNG, which this service does not decode");
  }

  // ---- GIF

  @Test
  void gifWithHugeCommentExtensionsDecodesWithoutReadingThem() {
    byte[] plain = HostileImages.gif(40, 30, new byte[0]);
    byte[] comments =
        HostileImages.gif(
            40,
            30,
            HostileImages.concat(
                HostileImages.gifComment(8 << 20), HostileImages.gifComment(8 << 20)));
    PreparedImage image = accepted(comments);
    assertThat(image.info()).isEqualTo(new ImageInfo("gif", 40, 30));
    assertThat(image.pixels()).isEqualTo(pixels(plain));
    assertLevels(image, 100, 100, 255, 0, 0);
  }

  @Test
  void gifWithMoreBlocksThanTheLimitBeforeItsFrameIsCorrupt() {
    byte[] many = new byte[3 * 100_001];
    for (int i = 0; i < many.length; i += 3) {
      many[i] = 0x21;
      many[i + 1] = (byte) 0xFE;
    }
    assertThat(rejected(HostileImages.gif(4, 4, many), CORRUPT))
        .isEqualTo("gif image has more than 100000 blocks before its first frame");
  }

  @Test
  void gifSubBlocksRunningPastTheEndAreCorrupt() {
    byte[] gif = HostileImages.gif(4, 4, HostileImages.gifComment(1000));
    byte[] cut = Arrays.copyOf(gif, 500);
    assertThat(rejected(cut, CORRUPT)).isEqualTo("gif image is truncated inside a data block");
  }

  // ---- WebP

  @Test
  void webpWithForgedChunkSizesIsCorrupt() {
    byte[] webp = HostileImages.zeroBitWebp(40, 30);
    byte[] riff = webp.clone();
    ByteBuffer.wrap(riff, 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFFFFF0);
    assertThat(rejected(riff, CORRUPT)).startsWith("webp image is truncated: RIFF declares");
    byte[] chunk = webp.clone();
    ByteBuffer.wrap(chunk, 16, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFFFFF0);
    assertThat(rejected(chunk, CORRUPT))
        .isEqualTo("webp image has a chunk of 2147483632 bytes that runs past the RIFF end");
  }

  @Test
  void webpClaimingHugeDimensionsIsRefusedFromItsHeader() {
    byte[] webp = HostileImages.zeroBitWebp(16384, 16384);
    assertThat(rejected(webp, TOO_MANY_PIXELS)).startsWith("image of 16384x16384 pixels");
  }

  private static byte[] extendedWebp(byte[]... before) {
    byte[] lossless = HostileImages.zeroBitWebp(40, 30);
    byte[] vp8l = Arrays.copyOfRange(lossless, 12, lossless.length);
    ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    vp8x.put((byte) 0x2C).put(new byte[3]); // ICC, EXIF, XMP flags
    vp8x.put(new byte[] {39, 0, 0, 29, 0, 0});
    return HostileImages.riff(
        HostileImages.concat(
            HostileImages.webpChunk("VP8X", vp8x.array()), HostileImages.concat(before), vp8l));
  }

  @Test
  void webpWithAnOversizedProfileAndForgedExifDecodes() {
    byte[] exif = new byte[64];
    ByteBuffer e = ByteBuffer.wrap(exif).order(ByteOrder.LITTLE_ENDIAN);
    e.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) 0xFFFF);
    byte[] webp =
        extendedWebp(
            HostileImages.webpChunk("ICCP", new byte[4 << 20]),
            HostileImages.webpChunk("EXIF", exif),
            HostileImages.webpChunk("XMP ", new byte[1 << 20]));
    PreparedImage image = accepted(webp);
    assertThat(image.info()).isEqualTo(new ImageInfo("webp", 40, 30));
    assertLevels(image, 100, 100, 0, 0, 0);
  }

  @Test
  void webpBitstreamDisagreeingWithItsCanvasIsCorrupt() {
    byte[] webp = extendedWebp();
    // Canvas 40x30 -> 41x30.
    webp[24] = 40;
    assertThat(rejected(webp, CORRUPT))
        .isEqualTo("webp image has a 40x30 bitstream on a 41x30 canvas");
  }
}
