package dev.classifier.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each {@link Normalization} gives exactly Keras' {@code imagenet_utils.preprocess_input} formula
 * for its mode, computed in double and rounded to float once, for every level of every channel, in
 * both layouts. The image is at the input size, so the resize is the identity and each tensor value
 * comes from one exact level.
 */
class NormalizationTest {

  private static final int SIZE = 299;
  private static final double[] TORCH_MEAN = {0.485, 0.456, 0.406};
  private static final double[] TORCH_STD = {0.229, 0.224, 0.225};
  private static final double[] CAFFE_MEAN_BGR = {103.939, 116.779, 123.68};

  private final ImagePreprocessor preprocessor = TestImages.preprocessor(true);
  private final byte[] png = TestImages.knownPng(SIZE);

  /** Keras' formula for tensor channel {@code c} of a pixel with levels {@code rgb}. */
  private static float keras(Normalization mode, int[] rgb, int c) {
    return switch (mode) {
      case TF -> (float) (rgb[c] / 127.5 - 1.0);
      case TORCH -> (float) ((rgb[c] / 255.0 - TORCH_MEAN[c]) / TORCH_STD[c]);
      case CAFFE -> (float) (rgb[2 - c] - CAFFE_MEAN_BGR[c]);
      case RAW -> rgb[c];
    };
  }

  private float[] tensor(Normalization mode, TensorLayout layout) {
    return preprocessor.prepare(png, new InputSpec(SIZE, SIZE, layout, mode)).pixels();
  }

  private static float at(float[] t, TensorLayout layout, int x, int y, int c) {
    return layout == TensorLayout.NHWC
        ? t[(y * SIZE + x) * 3 + c]
        : t[c * SIZE * SIZE + y * SIZE + x];
  }

  @ParameterizedTest
  @EnumSource(TensorLayout.class)
  void tfIsXOver127point5MinusOneInRgbOrder(TensorLayout layout) {
    float[] t = tensor(Normalization.TF, layout);
    assertEquals(-1f, at(t, layout, 0, 0, 0)); // R = 0
    assertEquals(0.003921569f, at(t, layout, 128, 0, 0)); // R = 128
    assertEquals(1f, at(t, layout, 255, 0, 0)); // R = 255
    assertEquals(-0.99215686f, at(t, layout, 0, 1, 1)); // G = 1
  }

  @ParameterizedTest
  @EnumSource(TensorLayout.class)
  void torchIsXOver255StandardisedWithImageNetMeanAndStdInRgbOrder(TensorLayout layout) {
    float[] t = tensor(Normalization.TORCH, layout);
    assertEquals(-2.117904f, at(t, layout, 0, 0, 0)); // R = 0
    assertEquals(0.07406456f, at(t, layout, 128, 0, 0)); // R = 128
    assertEquals(2.2489083f, at(t, layout, 255, 0, 0)); // R = 255
    assertEquals(-2.0357144f, at(t, layout, 0, 0, 1)); // G = 0
    assertEquals(0.20518208f, at(t, layout, 0, 128, 1)); // G = 128
    assertEquals(2.4285715f, at(t, layout, 0, 255, 1)); // G = 255
    assertEquals(-1.8044444f, at(t, layout, 0, 0, 2)); // B = 0
    assertEquals(2.64f, at(t, layout, 0, 85, 2)); // B = 3 * 85 = 255
  }

  @ParameterizedTest
  @EnumSource(TensorLayout.class)
  void caffeIsBgrMinusImageNetMeanPixelUnscaled(TensorLayout layout) {
    float[] t = tensor(Normalization.CAFFE, layout);
    // (255, 0, 0) holds R = 255, G = 0, B = (7 * 255) % 256 = 249: channel 0 is B, 2 is R.
    assertEquals(145.061f, at(t, layout, 255, 0, 0)); // B = 249
    assertEquals(-116.779f, at(t, layout, 255, 0, 1));
    assertEquals(131.32f, at(t, layout, 255, 0, 2)); // R = 255
    assertEquals(-123.68f, at(t, layout, 0, 0, 2)); // R = 0
    assertEquals(-103.939f, at(t, layout, 0, 0, 0)); // B = 0
    assertEquals(151.061f, at(t, layout, 0, 85, 0)); // B = 255
    assertEquals(138.221f, at(t, layout, 0, 255, 1)); // G = 255
  }

  @ParameterizedTest
  @EnumSource(TensorLayout.class)
  void rawIsTheLevelsThemselvesInRgbOrder(TensorLayout layout) {
    float[] t = tensor(Normalization.RAW, layout);
    assertEquals(255f, at(t, layout, 255, 0, 0)); // R = 255
    assertEquals(0f, at(t, layout, 255, 0, 1)); // G = 0
    assertEquals(249f, at(t, layout, 255, 0, 2)); // B = (7 * 255) % 256
    assertEquals(Normalization.RAW, Normalization.of("raw"));
  }

  @ParameterizedTest
  @EnumSource(Normalization.class)
  void everyLevelOfEveryChannelIsKerasFormulaRoundedOnceInBothLayouts(Normalization mode) {
    for (TensorLayout layout : TensorLayout.values()) {
      float[] t = tensor(mode, layout);
      assertEquals(3 * SIZE * SIZE, t.length);
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          int p = TestImages.knownPixel(x, y);
          int[] rgb = {p >> 16 & 0xFF, p >> 8 & 0xFF, p & 0xFF};
          for (int c = 0; c < 3; c++) {
            assertEquals(
                keras(mode, rgb, c),
                at(t, layout, x, y, c),
                mode + " " + layout + " channel " + c + " at " + x + "," + y);
          }
        }
      }
    }
  }
}
