package io.camelgraphteams.component.support;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ExceptionHandler a graph-teams consumer starts with, for failures outside a route (a reconcile, a renewal, a
 * backfill, a Graph call): one WARN line that names what failed, the stack trace only at DEBUG. The component retries
 * each of them itself, so Camel's default (a stack trace at ERROR) would alarm without cause. The endpoint options
 * {@code exceptionHandler} and {@code bridgeErrorHandler} replace it.
 */
public final class WarningExceptionHandler implements ExceptionHandler {

    private final Logger log;

    public WarningExceptionHandler(Class<?> owner) {
        this.log = LoggerFactory.getLogger(owner);
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String line = message != null ? message : exception != null ? Failures.rootMessage(exception) : "failure";
        log.warn(line);
        if (exception != null && log.isDebugEnabled()) {
            log.debug(line, exception);
        }
    }
}
