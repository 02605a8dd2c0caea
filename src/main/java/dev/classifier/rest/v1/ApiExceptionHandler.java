package dev.classifier.rest.v1;

import dev.classifier.core.InvalidRequestException;
import dev.classifier.explain.ExplanationsUnsupportedException;
import dev.classifier.http.Refusal;
import dev.classifier.http.RequestIdFilter;
import dev.classifier.http.RequestOutcome;
import dev.classifier.http.RequestPath;
import dev.classifier.image.ImageRejectedException;
import dev.classifier.image.MemoryBudgetExceededException;
import dev.classifier.inference.InferenceException;
import dev.classifier.inference.RejectedException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure inside Spring MVC into an RFC 9457 problem response with a stable {@code
 * type} and the request id. Client faults never become a 500; server faults become a 500 whose body
 * says nothing about the internals. Reasons are mapped with switch expressions, so a new reason
 * does not compile until it has a problem type. Errors ({@link Error}) are not caught: the JVM's
 * last line of defence handles them.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
    return problem(e.problem(), e.getMessage(), request, null);
  }

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidRequestException e, HttpServletRequest request) {
    ProblemType type =
        switch (e.reason()) {
          case TOP_K -> ProblemType.INVALID_TOP_K;
          case CLASS_INDEX -> ProblemType.INVALID_CLASS;
          case NO_IMAGES -> ProblemType.MISSING_IMAGE;
          case TOO_MANY_IMAGES -> ProblemType.TOO_MANY_IMAGES;
          case TENSOR_SIZE -> ProblemType.MALFORMED_REQUEST;
        };
    return problem(type, e.getMessage(), request, null);
  }

  @ExceptionHandler(ImageRejectedException.class)
  ResponseEntity<ProblemDetail> image(ImageRejectedException e, HttpServletRequest request) {
    ProblemType type =
        switch (e.reason()) {
          case UNSUPPORTED_FORMAT -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
          case CORRUPT -> ProblemType.CORRUPT_IMAGE;
          case TOO_MANY_PIXELS -> ProblemType.IMAGE_TOO_LARGE;
        };
    return problem(type, e.getMessage(), request, null);
  }

  @ExceptionHandler(RejectedException.class)
  ResponseEntity<ProblemDetail> rejected(RejectedException e, HttpServletRequest request) {
    ProblemType type =
        switch (e.reason()) {
          case QUEUE_FULL -> ProblemType.QUEUE_FULL;
          case DEADLINE_EXCEEDED -> ProblemType.DEADLINE_EXCEEDED;
          case NOT_READY -> ProblemType.NOT_READY;
          case SHUTTING_DOWN -> ProblemType.SHUTTING_DOWN;
          case CLIENT_GONE -> ProblemType.CLIENT_CLOSED_REQUEST;
        };
    return problem(type, e.getMessage(), request, e.retryAfter());
  }

  @ExceptionHandler(MemoryBudgetExceededException.class)
  ResponseEntity<ProblemDetail> overloaded(
      MemoryBudgetExceededException e, HttpServletRequest request) {
    return problem(ProblemType.OVERLOADED, e.getMessage(), request, Duration.ofSeconds(1));
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
        null);
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
        null);
  }

  /** Tomcat cannot decode the query string (a malformed %-escape): the client's fault. */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ProblemDetail> badQuery(InvalidParameterException e, HttpServletRequest request) {
    return problem(
        ProblemType.MALFORMED_REQUEST,
        "the query string cannot be decoded (malformed %-escape or encoding)",
        request,
        null);
  }

  @ExceptionHandler(InferenceException.class)
  ResponseEntity<ProblemDetail> inference(InferenceException e, HttpServletRequest request) {
    log.error("inference failed", e);
    return problem(
        ProblemType.INTERNAL_ERROR, "inference failed; see the service log", request, null);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected error", e);
    return problem(
        ProblemType.INTERNAL_ERROR, "unexpected error; see the service log", request, null);
  }

  /**
   * Spring MVC's own exceptions (wrong media type, unknown path, failed parameter validation...)
   * get our types too.
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
    ResponseEntity<ProblemDetail> response = problem(type, detail, servletRequest, null);
    return ResponseEntity.status(response.getStatusCode())
        .headers(headers)
        .headers(response.getHeaders())
        .body(response.getBody());
  }

  private static ProblemType typeOf(Exception ex, HttpStatusCode status) {
    if (ex instanceof HandlerMethodValidationException validation) {
      List<String> invalid =
          validation.getParameterValidationResults().stream()
              .map(result -> requestName(result.getMethodParameter()))
              .toList();
      if (invalid.contains("topK")) {
        return ProblemType.INVALID_TOP_K;
      }
      return invalid.contains("class") ? ProblemType.INVALID_CLASS : ProblemType.MALFORMED_REQUEST;
    }
    if (ex instanceof AsyncRequestTimeoutException) {
      return ProblemType.DEADLINE_EXCEEDED;
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
    return status.is4xxClientError() ? ProblemType.MALFORMED_REQUEST : ProblemType.INTERNAL_ERROR;
  }

  /** The name a parameter has in the request ({@code class}), not in Java ({@code classIndex}). */
  private static String requestName(MethodParameter parameter) {
    RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
    return param != null && !param.name().isEmpty() ? param.name() : parameter.getParameterName();
  }

  private static String detailOf(Exception ex, Object body) {
    if (ex instanceof HandlerMethodValidationException validation) {
      return validation.getParameterValidationResults().stream()
          .map(
              result ->
                  requestName(result.getMethodParameter())
                      + " "
                      + result.getResolvableErrors().get(0).getDefaultMessage()
                      + ", was "
                      + result.getArgument())
          .reduce((a, b) -> a + "; " + b)
          .orElse("a parameter is invalid");
    }
    if (body instanceof ProblemDetail problem && problem.getDetail() != null) {
      return problem.getDetail();
    }
    return ex.getMessage();
  }

  private static ResponseEntity<ProblemDetail> problem(
      ProblemType type, String detail, HttpServletRequest request, Duration retryAfter) {
    String requestId = request != null ? RequestIdFilter.of(request) : null;
    ProblemDetail problem =
        Problems.detail(
            type,
            detail,
            request != null ? RequestPath.instance(request) : null,
            requestId != null ? requestId : java.util.UUID.randomUUID().toString());
    if (request != null && RequestOutcome.of(request) != null) {
      RequestOutcome.of(request).problem(type.slug());
    }
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (retryAfter != null) {
      response.header(HttpHeaders.RETRY_AFTER, Refusal.retryAfterSeconds(retryAfter));
    }
    return response.body(problem);
  }
}
