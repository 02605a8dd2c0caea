package dev.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.classifier.ClassifierApplication;
import dev.classifier.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Real start-ups that fail for the service's own reasons end in Spring Boot's "APPLICATION FAILED
 * TO START" report with a description and an action, and no stack trace at the default log level.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureAnalyzersTest {

  @TempDir Path dir;

  @Test
  void aModelThatRecordsNoPreprocessing(CapturedOutput output) throws IOException {
    Path model = tinyModel(1000);
    ModelProto recorded = ModelProto.parseFrom(Files.readAllBytes(model));
    ModelProto.Builder proto = recorded.toBuilder().clearMetadataProps();
    recorded.getMetadataPropsList().stream()
        .filter(entry -> !entry.getKey().equals("preprocessing"))
        .forEach(proto::addMetadataProps);
    Files.write(model, proto.build().toByteArray());

    assertFailsToStart(output, model);

    assertThat(output.getOut())
        .contains(
            report(
                "The model records no preprocessing (ONNX metadata 'preprocessing') and"
                    + " classifier.model.preprocessing is not set, so the service cannot know how"
                    + " to scale the pixels of its input.",
                "Set classifier.model.preprocessing to the scaling the model was trained with: tf"
                    + " ([-1, 1]), torch (ImageNet mean and standard deviation) or caffe (BGR, mean"
                    + " subtracted)."));
  }

  @Test
  void labelsThatDoNotMatchTheModelsClasses(CapturedOutput output) {
    Path model = tinyModel(10);

    assertFailsToStart(output, model, "--classifier.model.labels=models/imagenet-labels.tsv");

    assertThat(output.getOut())
        .contains(
            report(
                "The model scores 10 classes, but the label file models/imagenet-labels.tsv has"
                    + " 1000 labels.",
                "Set classifier.model.labels to the label file of this model (one line per class,"
                    + " in the order of the model's outputs), or classifier.model.path to the model"
                    + " these labels belong to."));
  }

  @Test
  void cudaAskedForOnAMachineWithout(CapturedOutput output) {
    Path model = tinyModel(1000);

    assertFailsToStart(output, model, "--classifier.inference.provider=cuda");

    assertThat(output.getOut())
        .contains(
            "Description:\n\nclassifier.inference.provider=cuda, but the CUDA execution provider"
                + " could not be created for device 0: ")
        .contains(
            "Action:\n\nRun with the GPU build (com.microsoft.onnxruntime:onnxruntime_gpu, Maven"
                + " profile -Pgpu, the image built on docker/gpu-base), CUDA 12.x and cuDNN 9.x"
                + " libraries on the library path, and an NVIDIA driver; or set"
                + " classifier.inference.provider=cpu, or auto to use CUDA when it is usable and"
                + " the CPU otherwise.");
  }

  @Test
  void aModelFileThatIsNotAModel(CapturedOutput output) throws IOException {
    Path model = Files.writeString(dir.resolve("not-a-model.onnx"), "not an ONNX model");

    assertFailsToStart(output, model);

    assertThat(output.getOut())
        .contains("Description:\n\nThe model file " + model + " cannot be loaded: ")
        .contains(
            "Action:\n\nSet classifier.model.path to a readable ONNX image classifier (one float32"
                + " image input, a float32 class-score output), or remove the file to have the"
                + " synthetic Xception built in its place.");
  }

  private Path tinyModel(int classes) {
    return TinyModels.write(
        dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 8, classes, true, "synthetic:7");
  }

  private static void assertFailsToStart(CapturedOutput output, Path model, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--classifier.model.path=" + model,
                "--spring.main.banner-mode=off"));
    args.addAll(List.of(extra));
    assertThatThrownBy(
            () -> SpringApplication.run(ClassifierApplication.class, args.toArray(String[]::new)))
        .isInstanceOf(Exception.class);
    assertThat(output.getOut()).contains("APPLICATION FAILED TO START");
    assertThat(output.getAll().lines().filter(line -> line.startsWith("\tat ")))
        .as("no stack trace at the default log level")
        .isEmpty();
  }

  private static String report(String description, String action) {
    return "Description:\n\n" + description + "\n\nAction:\n\n" + action + "\n";
  }
}
