package dev.classifier.api;

import dev.classifier.config.ClassifierProperties;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/classify}: images as multipart parts named {@code image}, or one image as the raw
 * body, already read by {@link UploadFilter}. The declared content type only picks the variant; the
 * image format is always sniffed from the bytes. The answer is produced asynchronously, so no
 * thread waits for inference.
 */
@RestController
@RequestMapping("/v1")
class ClassifyController {

  private final ClassificationService service;
  private final int defaultTopK;
  private final int maxImages;

  ClassifyController(ClassificationService service, ClassifierProperties properties) {
    this.service = service;
    this.defaultTopK = properties.topKDefault();
    this.maxImages = properties.maxImagesPerRequest();
  }

  @PostMapping(path = "/classify", produces = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ClassificationResponse> classify(
      @Parameter(
              description =
                  "How many classes to return per image, most likely first (default: the"
                      + " service's `classifier.top-k-default`, 5 unless configured)",
              example = "3")
          @RequestParam(name = "topK", required = false)
          @Min(ApiContract.TOP_K_MIN)
          @Max(ApiContract.TOP_K_MAX)
          Integer topK,
      HttpServletRequest request) {
    String contentType = request.getContentType();
    if (!ApiContract.isUploadType(contentType)) {
      throw new ApiException(
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type '"
              + contentType
              + "' is not supported; send multipart/form-data or one of "
              + ApiContract.RAW_IMAGE_TYPES);
    }
    Upload upload = Upload.of(request);
    List<ImageSlice> images = isMultipart(contentType) ? imageParts(upload) : rawBody(upload);
    return service.classify(
        RequestIdFilter.of(request),
        upload,
        images,
        topK != null ? topK : defaultTopK,
        RequestOutcome.of(request));
  }

  private static boolean isMultipart(String contentType) {
    return MediaType.parseMediaType(contentType).isCompatibleWith(MediaType.MULTIPART_FORM_DATA);
  }

  private static List<ImageSlice> rawBody(Upload upload) {
    if (upload.length() == 0) {
      throw new ApiException(ProblemType.MISSING_IMAGE, "the request body is empty");
    }
    return List.of(new ImageSlice(0, upload.length()));
  }

  private List<ImageSlice> imageParts(Upload upload) {
    List<MultipartBody.Part> parts;
    try {
      String boundary = MediaType.parseMediaType(upload.contentType()).getParameter("boundary");
      if (boundary != null && boundary.length() >= 2 && boundary.startsWith("\"")) {
        boundary = boundary.substring(1, boundary.length() - 1);
      }
      parts = MultipartBody.parse(upload.bytes(), upload.length(), boundary);
    } catch (MultipartBody.MalformedException e) {
      throw new ApiException(
          ProblemType.MALFORMED_REQUEST, "the multipart body cannot be parsed: " + e.getMessage());
    } catch (InvalidMimeTypeException e) {
      throw new ApiException(ProblemType.MALFORMED_REQUEST, "the Content-Type cannot be parsed");
    }
    List<ImageSlice> images =
        parts.stream()
            .filter(part -> ApiContract.IMAGE_PART.equals(part.name()))
            .map(part -> new ImageSlice(part.offset(), part.length()))
            .toList();
    if (images.isEmpty()) {
      Set<String> names = new TreeSet<>();
      parts.forEach(part -> names.add(part.name()));
      throw new ApiException(
          ProblemType.MISSING_IMAGE,
          "the multipart body has no part named '"
              + ApiContract.IMAGE_PART
              + "' (found "
              + names
              + ")");
    }
    if (images.size() > maxImages) {
      throw new ApiException(
          ProblemType.TOO_MANY_IMAGES,
          images.size() + " images in one request; at most " + maxImages + " are accepted");
    }
    return images;
  }
}
