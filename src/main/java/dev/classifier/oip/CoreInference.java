package dev.classifier.oip;

import dev.classifier.core.Classification;
import dev.classifier.core.ClassificationRequest;
import dev.classifier.core.ClassificationService;
import dev.classifier.core.Client;
import dev.classifier.core.ImageSlice;
import dev.classifier.core.Images;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * The {@link V2Inference} seam on the classification core, the same path /v1 takes: a V2 request's
 * one input becomes the core's images (encoded files for the {@code -image} model, one tensor per
 * batch entry for the model itself), and the scores of its images become the V2 answer.
 */
@Component
final class CoreInference implements V2Inference {

  private final ClassificationService service;

  CoreInference(ClassificationService service) {
    this.service = service;
  }

  @Override
  public CompletableFuture<InferResponse> infer(
      V2Model model, InferRequest request, int batch, Client client) {
    int classes = (int) model.output().shape()[1];
    CompletableFuture<Classification> classified;
    try {
      // top-k 1: the core always keeps every score, and the classification extension ranks its own
      classified =
          service.classify(
              new ClassificationRequest(images(request.inputs().get(0), batch), 1, false, client));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(CoreRefusals.of(e));
    }
    return classified.handle(
        (result, failure) -> {
          if (failure != null) {
            throw CoreRefusals.of(failure);
          }
          return V2Outputs.answer(model, request, scores(result, classes), batch);
        });
  }

  /** The input as the core's images; its element count is the checked shape's product. */
  static Images images(InputTensor input, int batch) {
    if (input.data() instanceof TensorData.Bytes bytes) {
      return encoded(bytes.elements());
    }
    return tensors(((TensorData.Fp32) input.data()).values(), batch);
  }

  /** One body for the core's slices: the element itself for one image, else the files joined. */
  private static Images.Encoded encoded(List<byte[]> files) {
    if (files.size() == 1) {
      return new Images.Encoded(files.get(0), List.of(new ImageSlice(0, files.get(0).length)));
    }
    int total = files.stream().mapToInt(file -> file.length).sum();
    byte[] body = new byte[total];
    List<ImageSlice> slices = new ArrayList<>(files.size());
    int offset = 0;
    for (byte[] file : files) {
      System.arraycopy(file, 0, body, offset, file.length);
      slices.add(new ImageSlice(offset, file.length));
      offset += file.length;
    }
    return new Images.Encoded(body, slices);
  }

  /** The batch's rows, each one image in the model's own layout. */
  private static Images.Tensors tensors(float[] values, int batch) {
    if (batch == 1) {
      return new Images.Tensors(List.of(values));
    }
    int each = values.length / batch;
    List<float[]> rows = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      rows.add(Arrays.copyOfRange(values, i * each, (i + 1) * each));
    }
    return new Images.Tensors(rows);
  }

  /** Every image's scores, {@code batch × classes} row-major. */
  private static float[] scores(Classification result, int classes) {
    float[] all = new float[result.results().size() * classes];
    for (int i = 0; i < result.results().size(); i++) {
      float[] scores = result.results().get(i).scores();
      System.arraycopy(scores, 0, all, i * classes, Math.min(classes, scores.length));
    }
    return all;
  }
}
