package dev.classifier.rest.v1;

import dev.classifier.core.ImageSlice;
import dev.classifier.http.MultipartBody;
import dev.classifier.http.Upload;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.MediaType;
import org.springframework.util.InvalidMimeTypeException;

/**
 * The images of an upload, as slices of its body: the raw body, or the multipart parts named {@code
 * image}; refused with the problem an upload endpoint answers when there are none or too many.
 */
final class UploadImages {

  private UploadImages() {}

  /**
   * The request's upload, read by the transport because {@link V1Door} says it is one.
   *
   * @throws ApiException 415 for a body of any other type
   */
  static Upload upload(HttpServletRequest request) {
    Upload upload = Upload.of(request);
    if (upload != null) {
      return upload;
    }
    if (!ApiContract.isUploadType(request.getContentType())) {
      throw new ApiException(
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type '"
              + request.getContentType()
              + "' is not supported; send multipart/form-data or one of "
              + ApiContract.RAW_IMAGE_TYPES);
    }
    throw new IllegalStateException("no upload was read for " + request.getRequestURI());
  }

  /**
   * Where the upload's images lie; how many one request may carry is the core's limit (at most
   * {@link MultipartBody#MAX_PARTS} parts are even looked at).
   */
  static List<ImageSlice> of(Upload upload) {
    return MediaType.parseMediaType(upload.contentType())
            .isCompatibleWith(MediaType.MULTIPART_FORM_DATA)
        ? parts(upload)
        : raw(upload);
  }

  private static List<ImageSlice> raw(Upload upload) {
    if (upload.length() == 0) {
      throw new ApiException(ProblemType.MISSING_IMAGE, "the request body is empty");
    }
    return List.of(new ImageSlice(0, upload.length()));
  }

  private static List<ImageSlice> parts(Upload upload) {
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
    return images;
  }
}
