package dev.classifier.rest.v2;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.classifier.oip.Datatype;
import dev.classifier.oip.ServerInfo;
import dev.classifier.oip.TensorSpec;
import dev.classifier.oip.V2Model;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The V2 REST metadata bodies (KServe required_api.md: server and model metadata; Triton
 * extension_model_configuration.md: the model configuration, as Triton's JSON names it).
 */
final class V2Metadata {

  private V2Metadata() {}

  @Schema(name = "V2ServerMetadata")
  record Server(String name, String version, List<String> extensions) {
    static Server of(ServerInfo info) {
      return new Server(info.name(), info.version(), info.extensions());
    }
  }

  @Schema(name = "V2TensorMetadata")
  record Tensor(String name, String datatype, long[] shape) {
    static Tensor of(TensorSpec spec) {
      return new Tensor(spec.name(), spec.datatype().name(), spec.shape());
    }
  }

  @Schema(name = "V2ModelMetadata")
  record Model(
      String name,
      List<String> versions,
      String platform,
      List<Tensor> inputs,
      List<Tensor> outputs) {
    static Model of(V2Model model) {
      return new Model(
          model.name(),
          model.versions(),
          V2Model.PLATFORM,
          List.of(Tensor.of(model.input())),
          List.of(Tensor.of(model.output())));
    }
  }

  @Schema(name = "V2ModelReady")
  record Ready(String name, boolean ready) {}

  @Schema(name = "V2ServerLive")
  record Live(boolean live) {}

  @Schema(name = "V2ServerReady")
  record ServerReady(boolean ready) {}

  @Schema(name = "V2ConfigInput")
  record ConfigInput(
      String name, @JsonProperty("data_type") String dataType, String format, long[] dims) {}

  @Schema(name = "V2ConfigOutput")
  record ConfigOutput(
      String name,
      @JsonProperty("data_type") String dataType,
      long[] dims,
      @JsonProperty("label_filename") String labelFilename) {}

  /** Triton's model configuration, the fields its image clients read. */
  @Schema(name = "V2ModelConfig")
  record Config(
      String name,
      String platform,
      @JsonProperty("max_batch_size") int maxBatchSize,
      List<ConfigInput> input,
      List<ConfigOutput> output) {
    static Config of(V2Model model) {
      return new Config(
          model.name(),
          V2Model.PLATFORM,
          model.maxBatchSize(),
          List.of(
              new ConfigInput(
                  model.input().name(),
                  dataType(model.input().datatype()),
                  model.format().name(),
                  model.input().dims())),
          List.of(
              new ConfigOutput(
                  model.output().name(),
                  dataType(model.output().datatype()),
                  model.output().dims(),
                  model.labelFile())));
    }
  }

  /** Triton's configuration names BYTES TYPE_STRING; the others TYPE_ and the protocol's name. */
  static String dataType(Datatype datatype) {
    return datatype == Datatype.BYTES ? "TYPE_STRING" : "TYPE_" + datatype.name();
  }
}
