package dev.classifier.oip;

/**
 * The seam between the V2 doors and the classification core: both doors decode a request, resolve
 * and check its model, then hand it here; the core's adapter admits it, decodes the images (the
 * {@code -image} model) or takes the tensor as it is, batches, and answers with {@link
 * V2Outputs#answer}. A door with no implementation answers 501 / UNIMPLEMENTED rather than
 * pretending.
 */
public interface V2Inference {

  /**
   * @param model the model the request named, already found
   * @param request decoded and checked against {@code model} ({@link V2Model#check})
   * @param batch the request's batch size, as the check returned it
   * @throws OipException for every refusal the client should see (overloaded, too large, not ready,
   *     a bad image)
   */
  InferResponse infer(V2Model model, InferRequest request, int batch, V2Call call);
}
