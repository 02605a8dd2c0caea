package dev.classifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * A finished future's value goes to Spring's handlers as the method's own return value, typed
 * through the future; a pending or failed one goes on unchanged to Spring's asynchronous path.
 */
class CompletedAnswersTest {

  /** What Spring's handlers were given. */
  private record Handed(Object value, Class<?> type, Type genericType) {}

  private final List<Handed> handed = new ArrayList<>();

  private final HandlerMethodReturnValueHandler springs =
      new HandlerMethodReturnValueHandler() {
        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
          return true;
        }

        @Override
        public void handleReturnValue(
            Object returnValue,
            MethodParameter returnType,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest) {
          handed.add(
              new Handed(
                  returnValue,
                  returnType.getParameterType(),
                  returnType.clone().getGenericParameterType()));
        }
      };

  @SuppressWarnings("unused") // its return type is the subject
  CompletableFuture<ResponseEntity<String>> answer() {
    return null;
  }

  private static MethodParameter answerType() throws NoSuchMethodException {
    return new MethodParameter(CompletedAnswersTest.class.getDeclaredMethod("answer"), -1);
  }

  @Test
  void aCompletedFuturesValueIsHandledAsTheReturnValueOfItsOwnType() throws Exception {
    ResponseEntity<String> ok = ResponseEntity.ok("cat");

    new CompletedAnswers.Unwrapping(springs)
        .handleReturnValue(CompletableFuture.completedFuture(ok), answerType(), null, null);

    assertThat(handed)
        .containsExactly(
            new Handed(
                ok,
                ResponseEntity.class,
                ResolvableType.forClassWithGenerics(ResponseEntity.class, String.class).getType()));
  }

  @Test
  void aPendingOrFailedFutureTakesSpringsAsynchronousPath() throws Exception {
    CompletableFuture<ResponseEntity<String>> pending = new CompletableFuture<>();
    CompletableFuture<ResponseEntity<String>> failed =
        CompletableFuture.failedFuture(new IllegalStateException("no"));
    CompletedAnswers.Unwrapping unwrapping = new CompletedAnswers.Unwrapping(springs);

    unwrapping.handleReturnValue(pending, answerType(), null, null);
    unwrapping.handleReturnValue(failed, answerType(), null, null);

    Type declared = answerType().getGenericParameterType();
    assertThat(handed)
        .containsExactly(
            new Handed(pending, CompletableFuture.class, declared),
            new Handed(failed, CompletableFuture.class, declared));
  }

  @Test
  void itIsAskedOnlyAboutFutures() throws Exception {
    CompletedAnswers.Unwrapping unwrapping = new CompletedAnswers.Unwrapping(springs);

    assertThat(unwrapping.supportsReturnType(answerType())).isTrue();
    assertThat(
            unwrapping.supportsReturnType(
                new MethodParameter(Object.class.getDeclaredMethod("toString"), -1)))
        .isFalse();
  }
}
