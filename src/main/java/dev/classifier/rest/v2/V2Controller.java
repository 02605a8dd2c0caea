package dev.classifier.rest.v2;

import dev.classifier.oip.OipException;
import dev.classifier.oip.OipStatus;
import dev.classifier.oip.ServerInfo;
import dev.classifier.oip.V2Model;
import dev.classifier.oip.V2Models;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol over HTTP (KServe required_api.md, Triton's model-configuration
 * extension): server and model health and metadata, and the model configuration Triton's image
 * clients need. Errors are {@code {"error": "…"}} with the status {@link V2Error} chooses. Health
 * follows Spring's availability states, the same ones /actuator/health reports. Hidden from the
 * OpenAPI document (api/openapi.yaml is the /v1 contract) until the V2 endpoints are documented
 * there in full, infer included.
 */
@Hidden
@RestController
class V2Controller {

  private final V2Models models;
  private final ApplicationAvailability availability;
  private final ServerInfo info;

  V2Controller(V2Models models, ApplicationAvailability availability, ServerInfo info) {
    this.models = models;
    this.availability = availability;
    this.info = info;
  }

  @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Server server() {
    return V2Metadata.Server.of(info);
  }

  @GetMapping(path = "/v2/health/live", produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Live live() {
    if (availability.getLivenessState() != LivenessState.CORRECT) {
      throw new OipException(OipStatus.UNAVAILABLE, "the service is not live");
    }
    return new V2Metadata.Live(true);
  }

  @GetMapping(path = "/v2/health/ready", produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.ServerReady ready() {
    requireReady();
    return new V2Metadata.ServerReady(true);
  }

  @GetMapping(
      path = {"/v2/models/{model}", "/v2/models/{model}/versions/{version}"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Model model(
      @PathVariable String model, @PathVariable(required = false) String version) {
    return V2Metadata.Model.of(find(model, version));
  }

  @GetMapping(
      path = {"/v2/models/{model}/ready", "/v2/models/{model}/versions/{version}/ready"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Ready modelReady(
      @PathVariable String model, @PathVariable(required = false) String version) {
    V2Model found = find(model, version);
    requireReady();
    return new V2Metadata.Ready(found.name(), true);
  }

  @GetMapping(
      path = {"/v2/models/{model}/config", "/v2/models/{model}/versions/{version}/config"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  V2Metadata.Config config(
      @PathVariable String model, @PathVariable(required = false) String version) {
    return V2Metadata.Config.of(find(model, version));
  }

  /**
   * Not yet served: the body must be read through the service's HTTP defences (upload limits, the
   * memory budget), which {@link V2InferHandler} is written to take from.
   */
  @PostMapping(path = {"/v2/models/{model}/infer", "/v2/models/{model}/versions/{version}/infer"})
  ResponseEntity<byte[]> infer(
      @PathVariable String model, @PathVariable(required = false) String version) {
    find(model, version);
    throw new OipException(
        OipStatus.UNSUPPORTED, "inference over V2 REST is not available in this build");
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
