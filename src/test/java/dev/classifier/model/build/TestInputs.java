package dev.classifier.model.build;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Four visibly different NHWC images in [-1, 1], and a way to push them through an ONNX model. */
final class TestInputs {

  static final int IMAGES = 4;
  static final int PIXELS = 299 * 299 * 3;

  private TestInputs() {}

  /** Noise, a diagonal colour gradient, a checkerboard and a sinusoid pattern. */
  static float[] images() {
    float[] x = new float[IMAGES * PIXELS];
    SplittableRandom random = new SplittableRandom(2024);
    for (int y = 0; y < 299; y++) {
      for (int c = 0; c < 299; c++) {
        for (int ch = 0; ch < 3; ch++) {
          int at = (y * 299 + c) * 3 + ch;
          x[at] = (float) random.nextDouble(-1, 1);
          x[PIXELS + at] = (float) ((y + c) / 298.0 - 1) * (ch == 1 ? -1 : 1);
          x[2 * PIXELS + at] = ((y / 23 + c / 23) % 2 == 0 ? 0.8f : -0.6f) * (ch == 2 ? 0.5f : 1f);
          x[3 * PIXELS + at] =
              (float) (Math.sin(y / 5.0) * Math.cos(c / 7.0) * (ch == 0 ? 1 : -0.5));
        }
      }
    }
    return x;
  }

  /**
   * @param probabilities [images][1000]
   * @param features the feature output {@code block14_sepconv2_act}, [images][2048][10][10] NCHW
   */
  record Outputs(float[][] probabilities, float[][][][] features) {}

  /**
   * @return probabilities [IMAGES][1000]
   */
  static float[][] run(Path model, float[] images) throws OrtException {
    return run(model, images, Set.of(XceptionGraph.OUTPUT)).probabilities();
  }

  /** Probabilities and the feature map from one session call. */
  static Outputs runWithFeatures(Path model, float[] images) throws OrtException {
    return run(model, images, Set.of(XceptionGraph.OUTPUT, XceptionGraph.FEATURE_OUTPUT));
  }

  private static Outputs run(Path model, float[] images, Set<String> outputs) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(model.toString(), options);
          OnnxTensor input =
              OnnxTensor.createTensor(
                  env, FloatBuffer.wrap(images), new long[] {images.length / PIXELS, 299, 299, 3});
          OrtSession.Result result = session.run(Map.of(XceptionGraph.INPUT, input), outputs)) {
        return new Outputs(
            (float[][]) result.get(XceptionGraph.OUTPUT).orElseThrow().getValue(),
            outputs.contains(XceptionGraph.FEATURE_OUTPUT)
                ? (float[][][][]) result.get(XceptionGraph.FEATURE_OUTPUT).orElseThrow().getValue()
                : null);
      }
    }
  }

  static int[] topK(float[] p, int k) {
    return java.util.stream.IntStream.range(0, p.length)
        .boxed()
        .sorted((a, b) -> Float.compare(p[b], p[a]))
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }
}
