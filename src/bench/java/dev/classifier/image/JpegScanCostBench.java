package dev.classifier.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The worst a JPEG within the scan limit can cost to decode: 50 MP grey images whose every
 * coefficient is zero (so each scan costs the fewest bytes while the decoder still visits every
 * block), with the most expensive scan scripts the limit of 64 allows, on both decode paths. Not a
 * test: a main run by hand (docs/fuzzing.md quotes its output).
 *
 * <pre>
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     dev.classifier.image.JpegScanCostBench
 * </pre>
 */
public final class JpegScanCostBench {

  private JpegScanCostBench() {}

  /** DC and three AC bands, each first at Al=13 and refined bit by bit: 56 valid scans. */
  static SyntheticJpegs.Scan[] validFiftySix() {
    List<SyntheticJpegs.Scan> scans = new ArrayList<>();
    int[][] bands = {{0, 0}, {1, 21}, {22, 42}, {43, 63}};
    for (int[] band : bands) {
      scans.add(new SyntheticJpegs.Scan(band[0], band[1], 0, 13));
    }
    for (int a = 13; a > 0; a--) {
      for (int[] band : bands) {
        scans.add(new SyntheticJpegs.Scan(band[0], band[1], a, a - 1));
      }
    }
    return scans.toArray(new SyntheticJpegs.Scan[0]);
  }

  /** DC, one AC first scan, then 62 refinements of the whole band (libjpeg warns, decodes on). */
  static SyntheticJpegs.Scan[] repeatedRefinements() {
    List<SyntheticJpegs.Scan> scans = new ArrayList<>();
    scans.add(new SyntheticJpegs.Scan(0, 0, 0, 0));
    scans.add(new SyntheticJpegs.Scan(1, 63, 0, 1));
    for (int i = 0; i < 62; i++) {
      scans.add(new SyntheticJpegs.Scan(1, 63, 1, 0));
    }
    return scans.toArray(new SyntheticJpegs.Scan[0]);
  }

  public static void main(String[] args) {
    int width = 8000;
    int height = 6250;
    Object[][] cases = {
      {"64 scans: DC + 63 AC first scans", SyntheticJpegs.repeatedAcScan(63)},
      {"56 scans: valid full successive approximation", validFiftySix()},
      {"64 scans: 62 whole-band refinements", repeatedRefinements()},
    };
    for (Object[] c : cases) {
      byte[] jpeg = SyntheticJpegs.grey(width, height, (SyntheticJpegs.Scan[]) c[1]);
      for (boolean useNative : new boolean[] {true, false}) {
        ImagePreprocessor preprocessor =
            new ImagePreprocessor(ImageLimits.defaults(), new MemoryBudget(1L << 30), useNative);
        preprocessor.prepare(
            SyntheticJpegs.grey(64, 64, SyntheticJpegs.fullRefinement(1)),
            new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF));
        Costs.Measured<PreparedImage> m =
            Costs.of(
                () ->
                    preprocessor.prepare(
                        jpeg, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF)));
        System.out.printf(
            "%s (%d KB), %s: %.0f ms CPU, %s%n",
            c[0],
            jpeg.length / 1024,
            useNative && preprocessor.usesNativeJpeg()
                ? "TurboJPEG, then ImageIO if it declines"
                : "ImageIO",
            m.cpuMillis(),
            m.thrown() == null ? "decoded" : m.thrown().getMessage());
      }
    }
  }
}
