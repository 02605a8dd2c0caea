package dev.classifier.http;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Writes a door's answer on the thread that has it when the handler's future is already complete as
 * it returns, as it is whenever the session call ran on the request thread (nothing queued, one
 * image). Spring MVC would otherwise start asynchronous processing for that finished future and
 * dispatch the request a second time through the container, the filters and the handler adapter:
 * 3.4 ms of a 1-client request on 2 vCPUs (JFR, docs/benchmarks.md). A future still pending, or one
 * that failed, takes Spring's own asynchronous path unchanged, so failures reach the same exception
 * handlers as before.
 */
@Component
class CompletedAnswers implements BeanPostProcessor {

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof RequestMappingHandlerAdapter adapter
        && adapter.getReturnValueHandlers() != null) {
      List<HandlerMethodReturnValueHandler> springs = adapter.getReturnValueHandlers();
      List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(springs.size() + 1);
      handlers.add(
          new Unwrapping(new HandlerMethodReturnValueHandlerComposite().addHandlers(springs)));
      handlers.addAll(springs);
      adapter.setReturnValueHandlers(handlers);
    }
    return bean;
  }

  /** Hands a completed future's value to Spring's handlers as if the method had returned it. */
  record Unwrapping(
      HandlerMethodReturnValueHandler springs, Map<MethodParameter, MethodParameter> valueTypes)
      implements HandlerMethodReturnValueHandler {

    /** Resolving a method's future's type parameter is reflection: once per handler method. */
    Unwrapping(HandlerMethodReturnValueHandler springs) {
      this(springs, new ConcurrentHashMap<>());
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
      return CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(
        Object returnValue,
        MethodParameter returnType,
        ModelAndViewContainer mavContainer,
        NativeWebRequest webRequest)
        throws Exception {
      if (returnValue instanceof CompletableFuture<?> future
          && future.isDone()
          && !future.isCompletedExceptionally()) {
        springs.handleReturnValue(
            future.join(),
            valueTypes.computeIfAbsent(returnType, FutureValueType::new),
            mavContainer,
            webRequest);
      } else {
        springs.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
      }
    }
  }

  /**
   * The method's return type seen through its future: {@code ResponseEntity<T>} for {@code
   * CompletableFuture<ResponseEntity<T>>}, keeping the method and its annotations.
   */
  private static final class FutureValueType extends MethodParameter {

    private final ResolvableType value;

    FutureValueType(MethodParameter future) {
      super(future);
      this.value =
          ResolvableType.forMethodParameter(future).as(CompletableFuture.class).getGeneric(0);
    }

    private FutureValueType(FutureValueType original) {
      super(original);
      this.value = original.value;
    }

    @Override
    public Class<?> getParameterType() {
      return value.toClass();
    }

    @Override
    public Type getGenericParameterType() {
      return value.getType();
    }

    @Override
    public FutureValueType clone() {
      return new FutureValueType(this);
    }
  }
}
