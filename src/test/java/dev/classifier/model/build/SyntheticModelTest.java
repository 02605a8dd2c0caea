package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.classifier.model.ClassifierHead;
import dev.classifier.model.ClassifierHeadReader;
import dev.classifier.model.HeadLookup;
import dev.classifier.model.ModelMetadata;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelTest {

  @TempDir static Path dir;
  static Path model;
  static String commandOutput;

  @BeforeAll
  static void buildWithTheCommand() {
    model = dir.resolve("sub/dir/xception.onnx");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        new BuildModelCommand(new PrintStream(out, true), System.err)
            .run("--synthetic", "--seed", "42", "--output", model.toString());
    commandOutput = out.toString();
    assertThat(code).isZero();
  }

  @Test
  void commandPrintsProgressAndLeavesOnlyTheModel() throws Exception {
    assertThat(commandOutput)
        .contains("Generating synthetic weights with seed 42", "Writing", "Done in");
    try (var files = Files.list(model.getParent())) {
      assertThat(files).containsExactly(model);
    }
  }

  @Test
  void interfaceMatchesATf2onnxExport() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session =
        env.createSession(model.toString(), new OrtSession.SessionOptions())) {
      assertThat(session.getInputNames()).containsExactly("input_1");
      assertThat(session.getOutputNames()).containsExactly("predictions", "block14_sepconv2_act");
      NodeInfo in = session.getInputInfo().get("input_1");
      NodeInfo out = session.getOutputInfo().get("predictions");
      NodeInfo features = session.getOutputInfo().get("block14_sepconv2_act");
      assertThat(((TensorInfo) features.getInfo()).getShape()).containsExactly(-1, 2048, 10, 10);
      assertThat(((TensorInfo) features.getInfo()).type)
          .isEqualTo(ai.onnxruntime.OnnxJavaType.FLOAT);
      assertThat(((TensorInfo) in.getInfo()).getShape()).containsExactly(-1, 299, 299, 3);
      assertThat(((TensorInfo) in.getInfo()).type).isEqualTo(ai.onnxruntime.OnnxJavaType.FLOAT);
      assertThat(((TensorInfo) out.getInfo()).getShape()).containsExactly(-1, 1000);
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      assertThat(meta)
          .containsEntry(ModelMetadata.WEIGHTS_SOURCE, "synthetic:42")
          .containsEntry(ModelMetadata.BUILDER_VERSION, XceptionGraph.BUILDER_VERSION);
    }
    assertThat(OnnxMetadata.read(model))
        .containsEntry(ModelMetadata.WEIGHTS_SOURCE, "synthetic:42");
  }

  /**
   * The service finds the dense head the builder wrote, with the exact synthetic kernel, and reads
   * it by mapping the file and skipping the other weights: a read of the 91 MB file allocates the
   * 8.2 MB kernel, as floats and as the bytes read, and little else (measured after a first read
   * loaded the classes).
   */
  @Test
  void theHeadReaderFindsTheDenseLayerOnTheFeatureOutputByStreaming() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    ClassifierHeadReader.read(model);
    long before = threads.getCurrentThreadAllocatedBytes();
    HeadLookup lookup = ClassifierHeadReader.read(model);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    ClassifierHead head = lookup.head().orElseThrow();
    assertThat(head.featureOutput()).isEqualTo(XceptionGraph.FEATURE_OUTPUT);
    assertThat(head.layout()).isEqualTo(ClassifierHead.FeatureLayout.NCHW);
    assertThat(head.channels()).isEqualTo(2048);
    assertThat(head.classes()).isEqualTo(1000);
    XceptionWeights weights = SyntheticWeights.generate(42);
    // isEqualTo, not containsExactly: AssertJ diffs 2 M elements quadratically before comparing.
    assertThat(head.weights()).isEqualTo(weights.get("predictions", "kernel").data());
    assertThat(head.bias()).isEqualTo(weights.get("predictions", "bias").data());
    System.out.printf(
        "head read from %.1f MB with %.1f MB allocated%n",
        Files.size(model) / 1e6, allocated / 1e6);
    // The 8.2 MB kernel as floats, its bytes as read, nodes and buffers: 25 MB measured, under a
    // third of the file. A reader that let protobuf-java 4 copy the whole mapping onto the heap
    // allocated 199 MB, twice the file.
    assertThat(allocated).as("bytes allocated reading the head").isLessThan(Files.size(model) / 3);
  }

  @Test
  void opsetIsAtLeast13() throws Exception {
    var proto = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model));
    assertThat(proto.getOpsetImportList())
        .anySatisfy(
            o -> {
              assertThat(o.getDomain()).isEmpty();
              assertThat(o.getVersion()).isGreaterThanOrEqualTo(13);
            });
  }

  @Test
  void spatialSizesFollowKeras() {
    var built = XceptionGraph.build(SyntheticWeights.generate(1), "synthetic:1");
    assertThat(built.spatialSizes()).containsExactly(299, 149, 147, 74, 37, 19, 10);
  }

  @Test
  void outputsArePeakedAndDependOnTheImage() throws Exception {
    float[][] p = TestInputs.run(model, TestInputs.images());
    float[] top1 = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      double sum = 0;
      for (float v : p[i]) {
        sum += v;
      }
      assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
      top1[i] = p[i][TestInputs.topK(p[i], 1)[0]];
      assertThat(top1[i])
          .as("top-1 probability of image %d", i)
          .isGreaterThan(0.01f)
          .isLessThan(0.999f);
    }
    float min = top1[0];
    float max = top1[0];
    for (float t : top1) {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    System.out.println(
        "synthetic top-1 probabilities: "
            + Arrays.toString(top1)
            + " classes "
            + Arrays.stream(p).map(r -> TestInputs.topK(r, 1)[0]).toList());
    assertThat(max - min).as("spread of top-1 probabilities").isGreaterThan(0.02f);
  }

  @Test
  void sameSeedGivesAByteIdenticalFileAndAnotherSeedDoesNot() throws Exception {
    Path again = dir.resolve("again.onnx");
    Path other = dir.resolve("other.onnx");
    XceptionModelBuilder builder = new XceptionModelBuilder(s -> {});
    builder.synthetic(42, again);
    builder.synthetic(43, other);
    assertThat(Files.mismatch(model, again)).isEqualTo(-1L);
    assertThat(Files.mismatch(model, other)).isNotEqualTo(-1L);
  }

  @Test
  void commandRejectsAmbiguousArguments() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    BuildModelCommand command =
        new BuildModelCommand(
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    assertThat(command.run("--synthetic", "--weights", "x.h5")).isEqualTo(2);
    assertThat(command.run()).isEqualTo(2);
    assertThat(command.run("--seed")).isEqualTo(2);
    assertThat(err.toString())
        .contains("exactly one of --weights, --keras and --synthetic", "--seed needs a value");
    assertThat(command.run("--weights", dir.resolve("missing.h5").toString())).isEqualTo(1);
    assertThat(List.of(dir.toFile().list())).doesNotContain("xception.onnx");
  }
}
