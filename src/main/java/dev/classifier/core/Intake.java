package dev.classifier.core;

import dev.classifier.image.EncodedImage;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.PreparedImage;
import dev.classifier.inference.Deadline;
import dev.classifier.inference.Inference;
import dev.classifier.inference.InferenceResult;
import dev.classifier.inference.ModelInfo;
import dev.classifier.inference.RejectedException;
import dev.classifier.metrics.ClassifierMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The steps every request's images take, in their order: queue places reserved before anything is
 * decoded (saying no stays quick and leaves the CPUs to inference), all images prepared before any
 * is queued (so a bad image costs no inference), and a client that has disconnected noticed before
 * its images are decoded, before they are queued, and before their batch runs.
 */
final class Intake {

  /** One request's images as prepared, and the answer each will get, in request order. */
  record Queued(List<PreparedImage> prepared, List<CompletableFuture<InferenceResult>> answers) {}

  private final ImagePreprocessor preprocessor;
  private final Inference inference;
  private final ClassifierMetrics metrics;
  private final Duration requestTimeout;
  private final CoreObservations spans;

  Intake(
      ImagePreprocessor preprocessor,
      Inference inference,
      ClassifierMetrics metrics,
      Duration requestTimeout,
      CoreObservations spans) {
    this.spans = spans;
    this.preprocessor = preprocessor;
    this.inference = inference;
    this.metrics = metrics;
    this.requestTimeout = requestTimeout;
  }

  /** Refuses, before any work, tensors that are not exactly the model's input. */
  static void check(Images images, ModelInfo model) {
    if (images instanceof Images.Tensors tensors) {
      int expected = model.signature().imageSize();
      for (int i = 0; i < tensors.count(); i++) {
        int length = tensors.tensors().get(i).length;
        if (length != expected) {
          throw new InvalidRequestException(
              InvalidRequestException.Reason.TENSOR_SIZE,
              "tensor " + i + " has " + length + " elements; the model takes " + expected);
        }
      }
    }
  }

  /**
   * @param features whether the model's feature map is wanted as well
   * @param previewMaxSide the long side of the upright picture kept for drawing over, 0 for none
   * @throws RejectedException when the queue has no room or the client has gone
   */
  Queued queue(
      ModelInfo model, Images images, boolean features, int previewMaxSide, Client client) {
    List<PreparedImage> prepared = new ArrayList<>(images.count());
    List<CompletableFuture<InferenceResult>> answers = new ArrayList<>(images.count());
    try (Inference.Admission admission = spans.admission(() -> inference.admit(images.count()))) {
      if (client.gone()) {
        throw clientGone("before-decode");
      }
      if (images instanceof Images.Encoded encoded) {
        byte[] body = encoded.body();
        for (ImageSlice slice : encoded.slices()) {
          PreparedImage ready =
              preprocessor.prepare(
                  new EncodedImage(body, slice.offset(), slice.length()),
                  model.input(),
                  previewMaxSide);
          metrics.imagePrepared(ready.decodeNanos(), ready.preprocessNanos());
          prepared.add(ready);
        }
      } else if (images instanceof Images.Tensors tensors) {
        for (float[] tensor : tensors.tensors()) {
          // Already the model's input: no decode, no preprocessing, nothing to time.
          prepared.add(new PreparedImage(null, tensor, Optional.empty(), 0, 0));
        }
      }
      client.release();
      if (client.gone()) {
        throw clientGone("before-queue");
      }
      Deadline deadline = deadline(client);
      for (PreparedImage image : prepared) {
        // A request of one image may be run right here when a worker would only wake up for it.
        answers.add(admission.submitOrRun(image.pixels(), features, deadline, client::gone));
      }
    } catch (RuntimeException e) {
      answers.forEach(answer -> answer.cancel(false));
      throw e;
    }
    return new Queued(prepared, answers);
  }

  /** The request's timeout after its body arrived, or the client's own deadline if earlier. */
  private Deadline deadline(Client client) {
    Deadline timeout = Deadline.after(requestTimeout, client.receivedNanos());
    OptionalLong own = client.deadlineNanos();
    return own.isPresent() && own.getAsLong() - timeout.nanos() < 0
        ? new Deadline(own.getAsLong())
        : timeout;
  }

  private RejectedException clientGone(String stage) {
    metrics.clientGone(stage);
    return new RejectedException(
        RejectedException.Reason.CLIENT_GONE, "the client disconnected", Duration.ZERO);
  }
}
