package dev.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelProvisionerTest {

  @TempDir Path dir;

  @Test
  void absentModelIsBuiltSyntheticallyOnceAndThenReused() throws Exception {
    Path model = dir.resolve("models/xception.onnx");
    ProvisionedModel first = new ModelProvisioner().ensure(model, 7);
    assertThat(first).isEqualTo(new ProvisionedModel(model, "synthetic:7"));
    assertThat(first.synthetic()).isTrue();
    try (var files = Files.list(model.getParent())) {
      assertThat(files).as("no temporary file left behind").containsExactly(model);
    }
    long modified = Files.getLastModifiedTime(model).toMillis();

    ProvisionedModel second = new ModelProvisioner().ensure(model, 99);
    assertThat(second.weightsSource()).as("existing file wins over the seed").isEqualTo("synthetic:7");
    assertThat(Files.getLastModifiedTime(model).toMillis()).isEqualTo(modified);
  }

  @Test
  void existingModelReportsItsRecordedSource() throws Exception {
    Path model = dir.resolve("real.onnx");
    OnnxModelFiles.writeAtomically(tinyModel().toBuilder()
        .addMetadataProps(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder()
            .setKey(ModelMetadata.WEIGHTS_SOURCE).setValue("keras-h5:abc"))
        .build(), model);
    ProvisionedModel provisioned = new ModelProvisioner().ensure(model, 1);
    assertThat(provisioned.weightsSource()).isEqualTo("keras-h5:abc");
    assertThat(provisioned.synthetic()).isFalse();
  }

  @Test
  void modelWithoutMetadataIsUnknown() throws Exception {
    Path model = dir.resolve("foreign.onnx");
    OnnxModelFiles.writeAtomically(tinyModel(), model);
    assertThat(new ModelProvisioner().ensure(model, 1).weightsSource()).isEqualTo("unknown");
  }

  private static ModelProto tinyModel() {
    OnnxGraphWriter g = new OnnxGraphWriter("tiny");
    g.input("x", -1, 2);
    g.namedNode("Relu", "y", new String[] {"x"});
    g.output("y", -1, 2);
    return ModelProto.newBuilder().setIrVersion(8).setGraph(g.build()).build();
  }
}
