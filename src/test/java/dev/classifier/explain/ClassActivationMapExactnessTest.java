package dev.classifier.explain;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.classifier.inference.Scores;
import dev.classifier.model.ClassifierHead;
import dev.classifier.model.ClassifierHeadReader;
import dev.classifier.model.build.XceptionModelBuilder;
import dev.classifier.testing.TestModels;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decomposition CAMs rest on, on the full synthetic Xception: for every top-5 class of two
 * images, the mean of its activation map plus its bias is its logit, to 1e-4. The logits come from
 * the same graph with the Softmax removed, so they are ONNX Runtime's own, not recomputed here.
 */
class ClassActivationMapExactnessTest {

  private static final int SIZE = 299;

  @TempDir Path dir;

  @Test
  void meanOfTheMapPlusBiasIsTheLogitForTheTopFiveOfTwoImages() throws Exception {
    Path model = TestModels.syntheticXception();
    if (!Files.isRegularFile(model)) {
      new XceptionModelBuilder(s -> {}).synthetic(42, model);
    }
    ClassifierHead head = ClassifierHeadReader.read(model).head().orElseThrow();
    Path logitsModel = withoutSoftmax(model, dir.resolve("logits.onnx"));
    float[] images = images();

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(logitsModel.toString(), options);
          OnnxTensor input =
              OnnxTensor.createTensor(
                  env, FloatBuffer.wrap(images), new long[] {2, SIZE, SIZE, 3});
          OrtSession.Result result =
              session.run(Map.of("input_1", input), Set.of("predictions", head.featureOutput()))) {
        float[][] logits = (float[][]) result.get("predictions").orElseThrow().getValue();
        FloatBuffer features =
            ((OnnxTensor) result.get(head.featureOutput()).orElseThrow()).getFloatBuffer();
        Explainer explainer = new Explainer(ClassifierHeadReader.read(model));
        for (int n = 0; n < 2; n++) {
          float[] map = new float[2048 * 10 * 10];
          features.get(map);
          int[] top5 = Scores.topK(logits[n], 5);
          List<ActivationMap> maps = explainer.maps(map, new int[] {2048, 10, 10}, top5);
          double maxError = 0;
          for (int i = 0; i < 5; i++) {
            int c = top5[i];
            double reconstructed = maps.get(i).mean() + head.bias()[c];
            maxError = Math.max(maxError, Math.abs(reconstructed - logits[n][c]));
            assertThat(reconstructed)
                .as("image %d class %d (logit %s)", n, c, logits[n][c])
                .isCloseTo(logits[n][c], org.assertj.core.data.Offset.offset(1e-4));
          }
          System.out.printf(
              "image %d: top-5 %s, logits %.4f..%.4f, max |mean(M_c) + b_c - logit_c| = %.2g%n",
              n, java.util.Arrays.toString(top5), logits[n][top5[4]], logits[n][top5[0]], maxError);
          assertThat(maps.get(0).max())
              .as("a map that is not flat")
              .isGreaterThan(maps.get(0).min());
        }
      }
    }
  }

  /** The same graph ending at the Gemm: its output, renamed {@code predictions}, is the logits. */
  private static Path withoutSoftmax(Path model, Path target) throws Exception {
    ModelProto proto;
    try (InputStream in = Files.newInputStream(model)) {
      proto = ModelProto.parseFrom(in);
    }
    GraphProto.Builder graph = proto.getGraph().toBuilder();
    for (int i = 0; i < graph.getNodeCount(); i++) {
      NodeProto node = graph.getNode(i);
      if (node.getOpType().equals("Softmax")) {
        graph.removeNode(i);
        for (int j = 0; j < graph.getNodeCount(); j++) {
          if (graph.getNode(j).getOutput(0).equals(node.getInput(0))) {
            graph.setNode(j, graph.getNode(j).toBuilder().setOutput(0, "predictions"));
          }
        }
        break;
      }
    }
    Files.write(target, proto.toBuilder().setGraph(graph).build().toByteArray());
    return target;
  }

  /** Uniform noise, and a smooth two-colour gradient with a bright disc. */
  private static float[] images() {
    float[] x = new float[2 * SIZE * SIZE * 3];
    SplittableRandom random = new SplittableRandom(14);
    int plane = SIZE * SIZE * 3;
    for (int y = 0; y < SIZE; y++) {
      for (int c = 0; c < SIZE; c++) {
        boolean disc = (y - 100) * (y - 100) + (c - 180) * (c - 180) < 50 * 50;
        for (int ch = 0; ch < 3; ch++) {
          int at = (y * SIZE + c) * 3 + ch;
          x[at] = (float) random.nextDouble(-1, 1);
          x[plane + at] = disc ? 0.9f : (float) ((y - c) / 298.0) * (ch == 2 ? -1 : 1);
        }
      }
    }
    return x;
  }
}
