package dev.classifier.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the fuzzer's seed corpus: one small valid file per format variant the decoders handle
 * (generated here, plus the fixtures of src/test/resources/images), so that fuzzing starts from
 * every code path rather than from nothing. Not a test: a main run by hand when the seeds change;
 * its output is committed as ImageDecodeFuzzTestInputs, which plain test runs replay.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.classifier.image.FuzzSeeds \
 *     src/test/resources/dev/classifier/image/ImageDecodeFuzzTestInputs/decodeAnyBytes
 * </pre>
 */
public final class FuzzSeeds {

  private FuzzSeeds() {}

  static Map<String, byte[]> seeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    BufferedImage quadrants = TestImages.quadrants(16, 8, BufferedImage.TYPE_3BYTE_BGR);
    seeds.put("seed-rgb.png", TestImages.encode(quadrants, "png"));
    seeds.put(
        "seed-palette-text.png",
        HostileImages.pngWith(
            HostileImages.flatPng(8, 8, 3, 5),
            HostileImages.chunk("tEXt", HostileImages.ascii("Title\0seed")),
            HostileImages.ztxt(new byte[] {0x78, (byte) 0x9C, 3, 0, 0, 0, 0, 1})));
    seeds.put("seed-rgba.png", HostileImages.flatPng(8, 8, 6, 9));
    seeds.put("seed-grey.png", HostileImages.flatPng(8, 8, 0, 9));
    seeds.put("seed-baseline.jpg", TestImages.encode(quadrants, "jpeg"));
    seeds.put(
        "seed-progressive.jpg", SyntheticJpegs.grey(16, 16, SyntheticJpegs.fullRefinement(2)));
    seeds.put("seed-comment.gif", HostileImages.gif(8, 8, HostileImages.gifComment(40)));
    seeds.put("seed-24bit.bmp", HostileImages.bmp24(8, 8, 1, 2, 3));
    seeds.put(
        "seed-v5-profile.bmp",
        HostileImages.bmpV5WithProfile(8, 8, 124 + 8 * 24, 16, new byte[16]));
    seeds.put("seed-indexed.bmp", TestImages.encode(indexed(), "bmp"));
    seeds.put("seed-strips.tif", TiffBuilder.rgb(8, 8, 1, 2, 3).build());
    seeds.put(
        "seed-tiles.tif",
        TiffBuilder.rgb(16, 16, 1, 2, 3)
            .remove(273)
            .remove(278)
            .remove(279)
            .longs(322, 16)
            .longs(323, 16)
            .pixelOffset(324)
            .longs(325, 16 * 16 * 3)
            .build());
    seeds.put("seed-imageio.tif", TestImages.encode(quadrants, "tiff"));
    seeds.put("seed-lossless.webp", HostileImages.zeroBitWebp(8, 8));
    seeds.put("seed-extended.webp", extendedWebp());
    return seeds;
  }

  private static BufferedImage indexed() {
    byte[] levels = new byte[16];
    for (int i = 0; i < 16; i++) {
      levels[i] = (byte) (i * 17);
    }
    BufferedImage image =
        new BufferedImage(
            8,
            8,
            BufferedImage.TYPE_BYTE_INDEXED,
            new IndexColorModel(4, 16, levels, levels, levels));
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        image.getRaster().setSample(x, y, 0, (x + y) % 16);
      }
    }
    return image;
  }

  private static byte[] extendedWebp() {
    byte[] lossless = HostileImages.zeroBitWebp(8, 8);
    byte[] vp8l = java.util.Arrays.copyOfRange(lossless, 12, lossless.length);
    ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    vp8x.put((byte) 0x08).put(new byte[3]).put(new byte[] {7, 0, 0, 7, 0, 0});
    byte[] exif = TiffBuilder.rgb(1, 1, 0, 0, 0).shorts(274, 6).build();
    return HostileImages.riff(
        HostileImages.webpChunk("VP8X", vp8x.array()), vp8l, HostileImages.webpChunk("EXIF", exif));
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
      Files.write(out.resolve(seed.getKey()), seed.getValue());
    }
    try (var fixtures = Files.list(Path.of("src/test/resources/images"))) {
      for (Path f : (Iterable<Path>) fixtures::iterator) {
        if (!f.toString().endsWith(".sh")) {
          Files.copy(
              f,
              out.resolve("fixture-" + f.getFileName()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
