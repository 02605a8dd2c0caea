package dev.classifier.rest.v2;

import dev.classifier.core.Client;
import dev.classifier.oip.CoreRefusals;
import dev.classifier.oip.InferRequest;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipStatus;
import dev.classifier.oip.V2Inference;
import dev.classifier.oip.V2Model;
import dev.classifier.oip.V2Models;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * One V2 REST inference from a body already read within the service's limits to the response:
 * decode (JSON or binary extension), find and check the model, run it through the {@link
 * V2Inference} seam, encode. Every refusal is a {@code {"error"}} answer, never an exception.
 */
public final class V2InferHandler {

  private final V2Models models;
  private final V2RequestDecoder decoder;
  private final V2ResponseEncoder encoder = new V2ResponseEncoder();
  private final Optional<V2Inference> inference;

  public V2InferHandler(
      V2Models models, V2RequestDecoder decoder, Optional<V2Inference> inference) {
    this.models = models;
    this.decoder = decoder;
    this.inference = inference;
  }

  /**
   * @param version empty when the path names none
   * @param headerLength the {@code Inference-Header-Content-Length} header, or null
   * @param refused told the status of a refusal, for the request log and metrics
   */
  public CompletableFuture<ResponseEntity<byte[]>> handle(
      String model,
      String version,
      byte[] body,
      int length,
      String headerLength,
      Client client,
      Consumer<OipStatus> refused) {
    CompletableFuture<ResponseEntity<byte[]>> answer;
    try {
      V2Model found = models.find(model, version);
      InferRequest request =
          decoder.decode(found, version, body, length, V2RequestDecoder.headerLength(headerLength));
      int batch = found.check(request);
      V2Inference core =
          inference.orElseThrow(
              () ->
                  new OipException(
                      OipStatus.UNSUPPORTED,
                      "inference over V2 REST is not available in this build"));
      answer = core.infer(found, request, batch, client).thenApply(this::ok);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.exceptionally(
        failure -> {
          OipException e = CoreRefusals.of(failure);
          refused.accept(e.status());
          return response(V2Error.of(e));
        });
  }

  private ResponseEntity<byte[]> ok(dev.classifier.oip.InferResponse answer) {
    V2ResponseEncoder.Encoded encoded = encoder.encode(answer);
    ResponseEntity.BodyBuilder response =
        ResponseEntity.ok().contentType(MediaType.parseMediaType(encoded.contentType()));
    if (encoded.headerLength() >= 0) {
      response.header(V2ResponseEncoder.HEADER_LENGTH, String.valueOf(encoded.headerLength()));
    }
    return response.body(encoded.body());
  }

  /** An error answer as Spring MVC sends it. */
  static ResponseEntity<byte[]> response(V2Error error) {
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON);
    error
        .retryAfterSeconds()
        .ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)));
    return response.body(error.body());
  }
}
