package dev.classifier.api;

import dev.classifier.explain.ExplanationsUnsupportedException;
import dev.classifier.image.ImageRejectedException;
import dev.classifier.inference.InferenceException;
import dev.classifier.inference.RejectedException;
import dev.classifier.metrics.ClassifierMetrics;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into an RFC 9457 problem response with a stable {@code type} and the request
 * id. Client faults never become a 500; server faults become a 500 whose body says nothing about
 * the internals.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private static final Map<ImageRejectedException.Reason, ProblemType> IMAGE_PROBLEMS =
      Map.of(
          ImageRejectedException.Reason.UNSUPPORTED_FORMAT, ProblemType.UNSUPPORTED_MEDIA_TYPE,
          ImageRejectedException.Reason.CORRUPT, ProblemType.CORRUPT_IMAGE,
          ImageRejectedException.Reason.TOO_MANY_PIXELS, ProblemType.IMAGE_TOO_LARGE);

  private static final Map<RejectedException.Reason, ProblemType> REJECTIONS =
      Map.of(
          RejectedException.Reason.QUEUE_FULL, ProblemType.QUEUE_FULL,
          RejectedException.Reason.DEADLINE_EXCEEDED, ProblemType.DEADLINE_EXCEEDED,
          RejectedException.Reason.NOT_READY, ProblemType.NOT_READY,
          RejectedException.Reason.SHUTTING_DOWN, ProblemType.SHUTTING_DOWN);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
    return problem(e.problem(), e.getMessage(), request, new HttpHeaders());
  }

  @ExceptionHandler(ImageRejectedException.class)
  ResponseEntity<ProblemDetail> image(ImageRejectedException e, HttpServletRequest request) {
    return problem(IMAGE_PROBLEMS.get(e.reason()), e.getMessage(), request, new HttpHeaders());
  }

  /** A fixed detail: the reason, which names graph internals, is in the start-up log. */
  @ExceptionHandler(ExplanationsUnsupportedException.class)
  ResponseEntity<ProblemDetail> explanationsUnsupported(
      ExplanationsUnsupportedException e, HttpServletRequest request) {
    return problem(
        ProblemType.EXPLANATIONS_UNSUPPORTED,
        "the served model cannot be explained: it has no GlobalAveragePool -> dense head whose"
            + " feature map is a model output (see GET /v1/models, \"explanations\")",
        request,
        new HttpHeaders());
  }

  @ExceptionHandler(RejectedException.class)
  ResponseEntity<ProblemDetail> rejected(RejectedException e, HttpServletRequest request) {
    HttpHeaders headers = new HttpHeaders();
    // Retry-After is whole seconds; round up so a client never retries before the hint.
    long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    return problem(REJECTIONS.get(e.reason()), e.getMessage(), request, headers);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    ProblemType type =
        switch (e.getName()) {
          case "topK" -> ProblemType.INVALID_TOP_K;
          case "class" -> ProblemType.INVALID_CLASS;
          default -> ProblemType.MALFORMED_REQUEST;
        };
    return problem(
        type,
        "parameter '" + e.getName() + "' has an invalid value: " + e.getValue(),
        request,
        new HttpHeaders());
  }

  /**
   * A body that claims to be multipart but cannot be parsed (size overruns are handled by the
   * superclass).
   */
  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ProblemDetail> malformedMultipart(
      MultipartException e, HttpServletRequest request) {
    return problem(
        ProblemType.MALFORMED_REQUEST,
        "the multipart body cannot be parsed",
        request,
        new HttpHeaders());
  }

  @ExceptionHandler(InferenceException.class)
  ResponseEntity<ProblemDetail> inference(InferenceException e, HttpServletRequest request) {
    log.error("inference failed", e);
    return problem(
        ProblemType.INTERNAL_ERROR,
        "inference failed; see the service log",
        request,
        new HttpHeaders());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected error", e);
    return problem(
        ProblemType.INTERNAL_ERROR,
        "unexpected error; see the service log",
        request,
        new HttpHeaders());
  }

  /**
   * Spring MVC's own exceptions (bad multipart, wrong media type, unknown path...) get our types
   * too.
   */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex,
      Object body,
      HttpHeaders headers,
      HttpStatusCode statusCode,
      WebRequest request) {
    ProblemType type = typeOf(ex, statusCode);
    String detail = detailOf(ex, body);
    HttpServletRequest servletRequest =
        ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
    ResponseEntity<ProblemDetail> response = problem(type, detail, servletRequest, headers);
    return ResponseEntity.status(response.getStatusCode())
        .headers(response.getHeaders())
        .body(response.getBody());
  }

  private static ProblemType typeOf(Exception ex, HttpStatusCode status) {
    if (ex instanceof MaxUploadSizeExceededException) {
      return ProblemType.PAYLOAD_TOO_LARGE;
    }
    if (ex instanceof HttpMediaTypeNotSupportedException) {
      return ProblemType.UNSUPPORTED_MEDIA_TYPE;
    }
    if (ex instanceof HttpMediaTypeNotAcceptableException) {
      return ProblemType.NOT_ACCEPTABLE;
    }
    if (ex instanceof HttpRequestMethodNotSupportedException) {
      return ProblemType.METHOD_NOT_ALLOWED;
    }
    if (ex instanceof NoResourceFoundException) {
      return ProblemType.NOT_FOUND;
    }
    if (status.is4xxClientError()) {
      return ProblemType.MALFORMED_REQUEST;
    }
    return ProblemType.INTERNAL_ERROR;
  }

  private static String detailOf(Exception ex, Object body) {
    if (body instanceof ProblemDetail problem && problem.getDetail() != null) {
      return problem.getDetail();
    }
    return ex.getMessage();
  }

  private static ResponseEntity<ProblemDetail> problem(
      ProblemType type, String detail, HttpServletRequest request, HttpHeaders headers) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
    problem.setType(type.type());
    problem.setTitle(type.title());
    if (request != null) {
      problem.setInstance(java.net.URI.create(request.getRequestURI()));
      problem.setProperty("requestId", RequestIdFilter.of(request));
      // Read by the metrics filter and the request log, so errors are counted and logged by their
      // public type.
      request.setAttribute(ClassifierMetrics.ERROR_TYPE_ATTRIBUTE, type.slug());
    }
    return ResponseEntity.status(type.status())
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
