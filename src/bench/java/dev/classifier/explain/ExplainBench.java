package dev.classifier.explain;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import dev.classifier.inference.Scores;
import dev.classifier.model.ClassifierHeadReader;
import dev.classifier.model.HeadLookup;
import dev.classifier.model.build.ImageFolder;
import dev.classifier.model.build.XceptionModelBuilder;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TestModels;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What explanations cost on the full synthetic Xception: session.run at batch 1 fetching the scores
 * only against the scores plus the 2048 × 10 × 10 feature map (interleaved in one run, so the
 * shared machine's noise hits both alike; wall clock, since ONNX Runtime computes on its own
 * threads), then the CPU time of the top-5 maps, of the upright decode and of the PNG overlay of a
 * 640 × 480 JPEG (thread CPU time). Not a test (surefire does not pick it up): a main run by hand.
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.classifier.explain.ExplainBench
 * </pre>
 */
public final class ExplainBench {

  private static final int ROUNDS = 30;

  private ExplainBench() {}

  public static void main(String[] args) throws Exception {
    Path model = TestModels.syntheticXception();
    if (!Files.isRegularFile(model)) {
      new XceptionModelBuilder(System.out::println).synthetic(42, model);
    }
    HeadLookup head = ClassifierHeadReader.read(model);
    String features = head.head().orElseThrow().featureOutput();
    float[] image = new float[299 * 299 * 3];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) random.nextDouble(-1, 1);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] plain = new long[ROUNDS];
    long[] withFeatures = new long[ROUNDS];
    float[] map = null;
    float[] scores = null;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(model.toString(), options);
          OnnxTensor input =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(image), new long[] {1, 299, 299, 3})) {
        Map<String, OnnxTensor> inputs = Map.of("input_1", input);
        for (int i = -3; i < ROUNDS; i++) {
          long t0 = System.nanoTime();
          try (OrtSession.Result r = session.run(inputs, Set.of("predictions"))) {
            scores = ((float[][]) r.get(0).getValue())[0];
          }
          long t1 = System.nanoTime();
          try (OrtSession.Result r = session.run(inputs, Set.of("predictions", features))) {
            map = new float[2048 * 100];
            ((OnnxTensor) r.get(features).orElseThrow()).getFloatBuffer().get(map);
          }
          long t2 = System.nanoTime();
          if (i >= 0) { // the first three warm up
            plain[i] = t1 - t0;
            withFeatures[i] = t2 - t1;
          }
        }
      }
    }
    double plainMs = median(plain) / 1e6;
    double featuresMs = median(withFeatures) / 1e6;
    System.out.printf(
        "session.run batch 1, %d interleaved rounds: scores only %.1f ms, scores + features %.1f ms"
            + " (median), ratio %.3f%n",
        ROUNDS, plainMs, featuresMs, featuresMs / plainMs);

    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Explainer explainer = new Explainer(head);
    int[] top5 = Scores.topK(scores, 5);
    long[] maps = new long[ROUNDS];
    List<ActivationMap> result = null;
    for (int i = -20; i < ROUNDS; i++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      result = explainer.maps(map, new int[] {2048, 10, 10}, top5);
      if (i >= 0) {
        maps[i] = cpu.getCurrentThreadCpuTime() - t0;
      }
    }
    byte[] jpeg = photo();
    ImagePreprocessor preprocessor = ImageFolder.preprocessor();
    InputSpec spec = new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF);
    long[] decode = new long[ROUNDS];
    long[] render = new long[ROUNDS];
    for (int i = -5; i < ROUNDS; i++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      BufferedImage upright = preprocessor.prepare(jpeg, spec, 640).preview().orElseThrow();
      long t1 = cpu.getCurrentThreadCpuTime();
      explainer.overlayPng(upright, result.get(0), 0.5);
      long t2 = cpu.getCurrentThreadCpuTime();
      if (i >= 0) {
        decode[i] = t1 - t0;
        render[i] = t2 - t1;
      }
    }
    System.out.printf(
        "thread CPU, median of %d: top-5 maps %.2f ms, decode + tensor + preview of a 640x480 JPEG %.2f ms,"
            + " overlay + PNG encode %.2f ms%n",
        ROUNDS, median(maps) / 1e6, median(decode) / 1e6, median(render) / 1e6);
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static byte[] photo() {
    BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(30, 90, 200), 640, 480, new Color(250, 70, 30)));
    g.fillRect(0, 0, 640, 480);
    g.setColor(new Color(20, 120, 40));
    g.fillOval(160, 120, 320, 240);
    g.dispose();
    return TestImages.encode(image, "jpeg");
  }
}
