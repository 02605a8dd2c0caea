package dev.classifier.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Spring MVC's routing failures (no such path, a method the path does not take, a media type it
 * cannot read or write) on a path claimed by a door with an error format of its own, written in
 * that format: an Open Inference Protocol client asking for {@code /v2/nope} gets {@code {"error":
 * …}}, not {@code /v1}'s problem+json. Paths of the door that words unclaimed errors are left to
 * it.
 */
@Component
class RoutingErrors implements HandlerExceptionResolver, Ordered {

  private final HttpDoors doors;

  RoutingErrors(HttpDoors doors) {
    this.doors = doors;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public ModelAndView resolveException(
      HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    Refusal refusal = refusalFor(ex);
    HttpDoor door = doors.claiming(RequestPath.of(request));
    if (refusal == null || door == null || door.wordsUnclaimedErrors()) {
      return null;
    }
    if (ex instanceof HttpRequestMethodNotSupportedException method
        && method.getSupportedHttpMethods() != null) {
      response.setHeader(
          HttpHeaders.ALLOW,
          method.getSupportedHttpMethods().stream()
              .map(Object::toString)
              .collect(Collectors.joining(", ")));
    }
    try {
      doors.write(request, response, refusal, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ModelAndView();
  }

  /** Fixed details: the request's own path, method or type is never quoted back. */
  private static Refusal refusalFor(Exception ex) {
    if (ex instanceof NoResourceFoundException) {
      return new Refusal(Rejection.NOT_FOUND, "no resource at this path", null);
    }
    if (ex instanceof HttpRequestMethodNotSupportedException method) {
      return new Refusal(
          Rejection.METHOD_NOT_ALLOWED,
          "this path does not take the method; it takes " + method.getSupportedHttpMethods(),
          null);
    }
    if (ex instanceof HttpMediaTypeNotSupportedException) {
      return new Refusal(
          Rejection.UNSUPPORTED_MEDIA_TYPE, "this path does not read the content type", null);
    }
    if (ex instanceof HttpMediaTypeNotAcceptableException) {
      return new Refusal(
          Rejection.NOT_ACCEPTABLE, "this path answers none of the accepted media types", null);
    }
    return null;
  }
}
