package dev.classifier.explain;

/**
 * The viridis colour map (van der Walt and Smith, matplotlib's default): perceptually uniform, so
 * equal steps in the value look like equal steps in colour, legible to colour-blind readers and in
 * greyscale. Ten samples of the published map (matplotlib's and R's {@code viridis(10)}),
 * interpolated linearly in sRGB; the page's script uses the same ten.
 */
final class Viridis {

  private static final int[] SAMPLES = {
    0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C,
    0xFDE725
  };

  private Viridis() {}

  /**
   * @param t in [0, 1] (clamped; NaN reads as 0)
   * @return 0xRRGGBB
   */
  static int rgb(double t) {
    double clamped = t > 0 ? Math.min(t, 1) : 0;
    double at = clamped * (SAMPLES.length - 1);
    int i = Math.min((int) at, SAMPLES.length - 2);
    double f = at - i;
    int a = SAMPLES[i];
    int b = SAMPLES[i + 1];
    return channel(a, b, 16, f) << 16 | channel(a, b, 8, f) << 8 | channel(a, b, 0, f);
  }

  private static int channel(int a, int b, int shift, double f) {
    int x = a >> shift & 0xFF;
    int y = b >> shift & 0xFF;
    return (int) Math.round(x + (y - x) * f);
  }
}
