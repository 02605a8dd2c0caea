package dev.classifier.oip;

import dev.classifier.core.Client;
import java.util.concurrent.CompletableFuture;

/**
 * The seam between the V2 doors and the classification core: both doors decode a request, resolve
 * and check its model, then hand it here with their {@link Client} (when the request arrived, its
 * deadline, whether its caller is still there, what memory to give back); the core's adapter
 * ({@link CoreInference}) admits it, decodes the images (the {@code -image} model) or takes the
 * tensor as it is, batches, and answers with {@link V2Outputs#answer}. A door with no
 * implementation answers 501 / UNIMPLEMENTED rather than pretending.
 */
public interface V2Inference {

  /**
   * @param model the model the request named, already found
   * @param request decoded and checked against {@code model} ({@link V2Model#check})
   * @param batch the request's batch size, as the check returned it
   * @return the answer, or a failure that is always an {@link OipException} (possibly wrapped in a
   *     {@link java.util.concurrent.CompletionException}): overloaded, too large, not ready, past
   *     its deadline, cancelled, a bad image
   */
  CompletableFuture<InferResponse> infer(
      V2Model model, InferRequest request, int batch, Client client);
}
