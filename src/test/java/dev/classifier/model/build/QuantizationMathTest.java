package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.model.build.QuantizationMath.ActivationParams;
import dev.classifier.model.build.QuantizationMath.ChannelWeights;
import org.junit.jupiter.api.Test;

/**
 * The quantizer's arithmetic on numbers chosen so that every scale is exact in binary (powers of
 * two) or a float whose quotient is known, so each expected value is computed by hand.
 */
class QuantizationMathTest {

  @Test
  void activationScaleSpansTheRangeAndTheZeroPointMakesZeroExact() {
    // [-1, 1.55]: scale 2.55 / 255 = 0.01f, zero point round(1 / 0.01f) = round(100.0000022) = 100
    assertThat(QuantizationMath.activation(-1, 1.55)).isEqualTo(new ActivationParams(0.01f, 100));
    // post-ReLU ranges start at 0: zero point 0, so QuantizeLinear clips at 0 like the ReLU
    assertThat(QuantizationMath.activation(0, 2.55)).isEqualTo(new ActivationParams(0.01f, 0));
  }

  @Test
  void activationRangeIsWidenedToIncludeZero() {
    assertThat(QuantizationMath.activation(0.5, 2.55)).isEqualTo(new ActivationParams(0.01f, 0));
    assertThat(QuantizationMath.activation(-2.55, -1)).isEqualTo(new ActivationParams(0.01f, 255));
    assertThat(QuantizationMath.activation(0, 0)).isEqualTo(new ActivationParams(1f, 0));
  }

  @Test
  void activationQuantizeRoundsHalfToEvenAndSaturates() {
    ActivationParams p = new ActivationParams(0.25f, 100);
    assertThat(p.quantize(1.0f)).isEqualTo(104);
    assertThat(p.quantize(0.125f)).as("0.5 step rounds to even 0").isEqualTo(100);
    assertThat(p.quantize(0.375f)).as("1.5 steps round to even 2").isEqualTo(102);
    assertThat(p.quantize(100f)).as("saturates at 255").isEqualTo(255);
    assertThat(p.quantize(-100f)).as("saturates at 0").isEqualTo(0);
  }

  @Test
  void activationRejectsWhatIsNotARange() {
    assertThatThrownBy(() -> QuantizationMath.activation(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a range: [1.0, 0.0]");
    assertThatThrownBy(() -> QuantizationMath.activation(Double.NaN, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void convWeightsGetOneSymmetricScalePerOutputChannel() {
    // OIHW [2, 1, 1, 4]; channel 0 has max |w| = 127/16, so its scale is exactly 1/16 = 0.0625
    float[] w = {
      0.03125f, 0.09375f, -0.15625f, 7.9375f, // 0.5, 1.5, -2.5 and 127 steps of 0.0625
      -2.54f, 1.27f, 0f, 0.005f // max |w| = 2.54: scale 0.02f; 1.27 / 0.02 = 63.5 -> 64
    };
    ChannelWeights q = QuantizationMath.perChannelInt8(w, new long[] {2, 1, 1, 4}, 0, null);

    assertThat(q.scales()).containsExactly(0.0625f, 0.02f);
    assertThat(q.values()).containsExactly(0, 2, -2, 127, -127, 64, 0, 0);
  }

  @Test
  void depthwiseWeightsAreQuantizedPerChannelToo() {
    // a group convolution's OIHW [C, 1, kh, kw]: axis 0 is still the output channel
    float[] w = {1f, -0.5f, 0.25f, 0.125f, 2f, 1f, -4f, 0.5f};
    ChannelWeights q = QuantizationMath.perChannelInt8(w, new long[] {2, 1, 2, 2}, 0, null);

    assertThat(q.scales()).containsExactly(1f / 127, 4f / 127);
    assertThat(q.values()).containsExactly(127, -64, 32, 16, 64, 32, -127, 16);
  }

  @Test
  void gemmWeightsWithoutTransBAreQuantizedPerColumn() {
    // B [K=2, N=3] row-major: column n holds B[0][n] and B[1][n]
    float[] b = {1f, -0.25f, 0f, -0.5f, 0.125f, 0f};
    ChannelWeights q = QuantizationMath.perChannelInt8(b, new long[] {2, 3}, 1, null);

    assertThat(q.scales()).containsExactly(1f / 127, 0.25f / 127, 1f);
    assertThat(q.values()).containsExactly(127, -127, 0, -64, 64, 0);
  }

  @Test
  void aScaleFloorKeepsTheBiasInRangeAndAnAllZeroChannelGetsScaleOne() {
    // input scale 1e-6 and bias 1e6: the weight scale must be at least 1e6 / (1e-6 * (2^31 - 1))
    float[] floor = QuantizationMath.biasFloor(new float[] {1e6f, 0f}, 1e-6f);
    ChannelWeights q =
        QuantizationMath.perChannelInt8(new float[] {1e-9f, 0f}, new long[] {2, 1}, 0, floor);

    assertThat(floor[0]).isBetween(465.66f, 465.67f);
    assertThat(q.scales()).containsExactly(floor[0], 1f);
    assertThat(q.values()).containsExactly(0, 0);
    float[] biasScale = QuantizationMath.biasScales(1e-6f, new float[] {q.scales()[0]});
    int[] bias = QuantizationMath.int32Bias(new float[] {1e6f}, biasScale);
    assertThat(bias[0] * (double) biasScale[0])
        .as("the bias survives unclipped")
        .isCloseTo(1e6, org.assertj.core.data.Offset.offset(1e-3));
  }

  @Test
  void biasIsInt32AtInputScaleTimesWeightScale() {
    float[] scales = QuantizationMath.biasScales(0.5f, new float[] {0.0625f, 0.25f, 1f});
    assertThat(scales).containsExactly(0.03125f, 0.125f, 0.5f);
    assertThat(QuantizationMath.int32Bias(new float[] {1f, -0.1875f, 0.25f}, scales))
        .as("1 / 0.03125 = 32; -0.1875 / 0.125 = -1.5 -> -2; 0.25 / 0.5 = 0.5 -> 0 (ties to even)")
        .containsExactly(32, -2, 0);
    assertThat(QuantizationMath.int32Bias(new float[] {1e10f, -1e10f}, new float[] {1f, 1f}))
        .as("clipped to the symmetric int32 range")
        .containsExactly(Integer.MAX_VALUE, -Integer.MAX_VALUE);
  }
}
