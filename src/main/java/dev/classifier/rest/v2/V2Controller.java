package dev.classifier.rest.v2;

import dev.classifier.http.RequestOutcome;
import dev.classifier.http.Upload;
import dev.classifier.http.UploadClient;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipLimits;
import dev.classifier.oip.OipStatus;
import dev.classifier.oip.ServerInfo;
import dev.classifier.oip.V2Inference;
import dev.classifier.oip.V2Model;
import dev.classifier.oip.V2Models;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol over HTTP (KServe required_api.md, Triton's model-configuration
 * extension): server and model health and metadata, and the model configuration Triton's image
 * clients need. Errors are {@code {"error": "…"}} with the status {@link V2Error} chooses. Health
 * follows Spring's availability states, the same ones /actuator/health reports.
 */
@RestController
@Tag(
    name = "Open Inference Protocol (V2)",
    description =
        "KServe's and Triton's V2 REST protocol: health, metadata, Triton's model configuration and"
            + " inference (JSON, the binary tensor data extension, the classification extension)."
            + " Errors are {\"error\": \"...\"}.")
class V2Controller {

  private final V2Models models;
  private final ApplicationAvailability availability;
  private final ServerInfo info;
  private final V2InferHandler handler;

  V2Controller(
      V2Models models,
      ApplicationAvailability availability,
      ServerInfo info,
      OipLimits limits,
      ObjectProvider<V2Inference> inference) {
    this.models = models;
    this.handler =
        new V2InferHandler(
            models, new V2RequestDecoder(limits), Optional.ofNullable(inference.getIfAvailable()));
    this.availability = availability;
    this.info = info;
  }

  @Operation(operationId = "v2ServerMetadata", summary = "Server metadata")
  @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Server server() {
    return V2Metadata.Server.of(info);
  }

  @Operation(operationId = "v2ServerLive", summary = "Server liveness")
  @GetMapping(path = "/v2/health/live", produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Live live() {
    if (availability.getLivenessState() != LivenessState.CORRECT) {
      throw new OipException(OipStatus.UNAVAILABLE, "the service is not live");
    }
    return new V2Metadata.Live(true);
  }

  @Operation(operationId = "v2ServerReady", summary = "Server readiness")
  @GetMapping(path = "/v2/health/ready", produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.ServerReady ready() {
    requireReady();
    return new V2Metadata.ServerReady(true);
  }

  @Operation(operationId = "v2ModelMetadata", summary = "Model metadata")
  @GetMapping(
      path = {"/v2/models/{model}", "/v2/models/{model}/versions/{version}"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Model model(
      @PathVariable String model, @PathVariable(required = false) String version) {
    return V2Metadata.Model.of(find(model, version));
  }

  @Operation(operationId = "v2ModelReady", summary = "Model readiness")
  @GetMapping(
      path = {"/v2/models/{model}/ready", "/v2/models/{model}/versions/{version}/ready"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Ready modelReady(
      @PathVariable String model, @PathVariable(required = false) String version) {
    V2Model found = find(model, version);
    requireReady();
    return new V2Metadata.Ready(found.name(), true);
  }

  @Operation(operationId = "v2ModelConfig", summary = "Triton model configuration")
  @GetMapping(
      path = {"/v2/models/{model}/config", "/v2/models/{model}/versions/{version}/config"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Config config(
      @PathVariable String model, @PathVariable(required = false) String version) {
    return V2Metadata.Config.of(find(model, version));
  }

  /**
   * Inference on a body the transport has already read ({@link V2Door} says every infer request is
   * an upload): within {@code classifier.max-upload-size}, the upload timeouts and the memory
   * budget, given back once its images are decoded. Answered asynchronously, so no thread waits for
   * inference.
   */
  @Operation(
      operationId = "v2ModelInfer",
      summary = "Run inference",
      description =
          "`xception` takes the model's own FP32 input, preprocessed; `xception-image` takes encoded"
              + " image files as BYTES [-1, 1] (base64 in JSON). With"
              + " `Inference-Header-Content-Length` the body is that many bytes of JSON followed by"
              + " the binary tensor data, and so may the answer be.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = true,
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = V2Schemas.InferRequest.class)),
        @Content(
            mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            schema = @Schema(type = "string", format = "binary"))
      })
  @ApiResponse(
      responseCode = "200",
      description = "The outputs",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = V2Schemas.InferResponse.class)),
        @Content(
            mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            schema = @Schema(type = "string", format = "binary"))
      })
  @ApiResponse(
      responseCode = "400",
      description = "Malformed request, wrong input, shape or datatype, not an image",
      content = @Content(schema = @Schema(implementation = V2Schemas.Error.class)))
  @ApiResponse(
      responseCode = "404",
      description = "Unknown model or version",
      content = @Content(schema = @Schema(implementation = V2Schemas.Error.class)))
  @ApiResponse(
      responseCode = "413",
      description = "Over a stated limit",
      content = @Content(schema = @Schema(implementation = V2Schemas.Error.class)))
  @ApiResponse(
      responseCode = "429",
      description = "Queue full (Retry-After)",
      content = @Content(schema = @Schema(implementation = V2Schemas.Error.class)))
  @ApiResponse(
      responseCode = "503",
      description = "Not ready, memory budget exhausted or deadline passed (Retry-After)",
      content = @Content(schema = @Schema(implementation = V2Schemas.Error.class)))
  @PostMapping(path = {"/v2/models/{model}/infer", "/v2/models/{model}/versions/{version}/infer"})
  CompletableFuture<ResponseEntity<byte[]>> infer(
      @PathVariable String model,
      @PathVariable(required = false) String version,
      @RequestHeader(name = V2ResponseEncoder.HEADER_LENGTH, required = false) String headerLength,
      @Parameter(hidden = true) HttpServletRequest request) {
    Upload upload = Upload.of(request);
    if (upload == null) {
      throw new IllegalStateException("no body was read for " + request.getRequestURI());
    }
    RequestOutcome outcome = RequestOutcome.of(request);
    return handler.handle(
        model,
        version == null ? "" : version,
        upload.bytes(),
        upload.length(),
        headerLength,
        UploadClient.of(request, upload),
        status -> {
          if (outcome != null) {
            outcome.problem(status.slug());
          }
        });
  }

  @ExceptionHandler(OipException.class)
  ResponseEntity<byte[]> refused(OipException e) {
    return V2InferHandler.response(V2Error.of(e));
  }

  private V2Model find(String model, String version) {
    return models.find(model, version == null ? "" : version);
  }

  private void requireReady() {
    if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
      throw new OipException(OipStatus.UNAVAILABLE, "the service is not ready");
    }
  }
}
