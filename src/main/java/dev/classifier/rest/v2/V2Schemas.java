package dev.classifier.rest.v2;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The V2 inference bodies as the OpenAPI document shows them (KServe required_api.md, "Inference
 * Request/Response JSON Object"). Documentation only: requests are read by {@link
 * V2RequestDecoder}'s token stream and answers written by {@link V2ResponseEncoder}, which bound
 * what a body may cost; these records are never bound.
 */
final class V2Schemas {

  private V2Schemas() {}

  @Schema(name = "V2InferRequest", description = "An inference request; unknown fields are ignored")
  record InferRequest(
      @Schema(description = "Echoed in the response", example = "req-1") String id,
      @Schema(description = "`binary_data_output`: every output in the binary section")
          Map<String, Object> parameters,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<InputTensor> inputs,
      @Schema(description = "The outputs wanted; none means all") List<RequestedOutput> outputs) {}

  @Schema(name = "V2InputTensor")
  record InputTensor(
      @Schema(example = "image") String name,
      @Schema(example = "[1, 1]") List<Long> shape,
      @Schema(
              example = "BYTES",
              allowableValues = {"FP32", "BYTES"})
          String datatype,
      @Schema(description = "`binary_data_size`: the tensor is in the binary section")
          Map<String, Object> parameters,
      @Schema(
              description =
                  "Row-major elements, flat or nested; BYTES elements of the image model base64")
          List<Object> data) {}

  @Schema(name = "V2RequestedOutput")
  record RequestedOutput(
      @Schema(example = "predictions") String name,
      @Schema(
              description =
                  "`binary_data`: this output in the binary section; `classification`: N best"
                      + " classes as BYTES \"score:index:label\"")
          Map<String, Object> parameters) {}

  @Schema(name = "V2InferResponse")
  record InferResponse(
      @JsonProperty("model_name") @Schema(example = "xception-image") String modelName,
      @JsonProperty("model_version") @Schema(example = "1") String modelVersion,
      String id,
      Map<String, Object> parameters,
      List<OutputTensor> outputs) {}

  @Schema(name = "V2OutputTensor")
  record OutputTensor(
      @Schema(example = "predictions") String name,
      @Schema(example = "[1, 1000]") List<Long> shape,
      @Schema(example = "FP32") String datatype,
      @Schema(description = "`binary_data_size` when the output is in the binary section")
          Map<String, Object> parameters,
      List<Object> data) {}

  @Schema(name = "V2Error")
  record Error(@Schema(example = "unknown model 'resnet'") String error) {}
}
